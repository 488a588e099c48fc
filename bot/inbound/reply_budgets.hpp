#pragma once

#include "bot/inbound/reply_handoff.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>

namespace permit::core {

// The reply budgets of the webhooks waiting for their replies, kept by one
// timer: a handoff's wait ends (ReplyHandoff::expire) at its deadline if
// its outcome has not come by then. A timer of its own for every message
// cost about 1,900 instructions of each webhook request (made, set,
// cancelled, its completion posted, destroyed); this one is set when the
// earliest deadline changes. Every message has the same budget from its
// arrival, so deadlines come in order: a list, earliest first, whose front
// is dropped once settled.
class ReplyBudgets {
 public:
  explicit ReplyBudgets(boost::asio::any_io_executor executor);

  // Ends the wait of `handoff` at `deadline`, if nothing ended it before.
  void watch(std::shared_ptr<ReplyHandoff> handoff, std::chrono::steady_clock::time_point deadline);

  // Handoffs watched and not yet dropped (for tests).
  std::size_t size() const;

 private:
  struct Watched {
    std::chrono::steady_clock::time_point deadline;
    std::shared_ptr<ReplyHandoff> handoff;
  };
  // Shared with the timer's handler, which may run after the budgets are
  // gone (at shutdown).
  struct State {
    explicit State(boost::asio::any_io_executor executor) : timer(std::move(executor)) {}
    mutable std::mutex mutex;
    std::deque<Watched> watched;  // earliest deadline first
    boost::asio::steady_timer timer;
    std::optional<std::chrono::steady_clock::time_point> armed;  // when the timer is set to fire
  };
  // Under the lock.
  static void arm(const std::shared_ptr<State>& state, std::chrono::steady_clock::time_point at);
  // Ends the waits that are due, and sets the timer for the next.
  static void on_timer(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_;
};

}  // namespace permit::core
