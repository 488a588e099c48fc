#pragma once

#include "bot/inbound/message_committer.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <mutex>
#include <optional>

namespace permit::core {

// Where a webhook waiting for its message's reply meets the background task
// that commits the message. The outcome passes to the webhook if it is
// still waiting; if it stopped waiting (out of time, or told to reply
// later), the message is the background task's to finish: never both,
// never neither. The mutex makes that choice once. The time is kept by
// ReplyBudgets, which ends the wait with expire().
class ReplyHandoff {
 public:
  // What became of a message whose webhook stopped waiting for it.
  enum class Fate {
    waiting,   // the webhook waits; the outcome goes to it
    deferred,  // the webhook answered "success": the commit queues the reply
    refused,   // the webhook answered 503: the platform retries
  };
  using Outcome = boost::system::result<Processed>;

  explicit ReplyHandoff(wechat::InboundMessage message) : message_(std::move(message)) {}

  const wechat::InboundMessage& message() const { return message_; }

  // The webhook: the outcome, if it arrives before expire(); nothing if the
  // time ran out, and the message's fate is then `deferred`.
  boost::asio::awaitable<std::optional<Outcome>> wait();
  // The webhook's time is up: wait() returns, with the outcome only if it
  // came first.
  void expire();
  // Whether the webhook has stopped waiting, or has its outcome.
  bool settled() const;
  // The webhook decided not to wait, or could not hold the message.
  void decide(Fate fate);

  // The background task: hands the outcome over and returns `waiting` if
  // the webhook still waits; otherwise leaves `outcome` as it is and
  // returns what the webhook decided.
  Fate deliver(Outcome& outcome);

 private:
  using Waiter = boost::asio::any_completion_handler<void()>;
  // Resumes the waiting webhook, if it has suspended (outside the lock).
  void wake(std::unique_lock<std::mutex>& lock);

  const wechat::InboundMessage message_;
  mutable std::mutex mutex_;
  std::optional<Outcome> outcome_;
  Fate fate_ = Fate::waiting;
  bool expired_ = false;
  std::optional<Waiter> waiter_;  // the suspended webhook
};

}  // namespace permit::core
