#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>

#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace permit::core {

// Serialises the messages of one student inside this process: a second
// message (or a retry of the first) waits until the first is done. Across
// processes the store's compare-and-set takes over.
class UserLanes {
  struct State;

 public:
  // One student's turn, held as a ticket; it passes to the next waiter when destroyed. It
  // shares the lanes' state, so a turn destroyed at shutdown (inside a
  // coroutine frame the io_context tears down) never touches freed memory.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(std::shared_ptr<State> state, std::string key) : state_(std::move(state)), key_(std::move(key)) {}
    Ticket(Ticket&& other) noexcept = default;
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();

   private:
    std::shared_ptr<State> state_;
    std::string key_;
  };

  UserLanes();

  // Completes when it is this caller's turn; the turn ends when the Ticket dies (a UserLanes::Ticket, not a dialogs::Turn).
  boost::asio::awaitable<Ticket> wait_turn(std::string key);

  // The turn if nobody has it now; nothing (and no waiting) otherwise.
  std::optional<Ticket> try_turn(std::string key);

  std::size_t active_lanes() const;

 private:
  using Waiter = boost::asio::any_completion_handler<void()>;
  struct Lane {
    // A list, not a deque: nearly every lane lives and dies without a
    // waiter, and an empty std::deque already allocates two blocks.
    std::list<Waiter> waiters;
  };
  struct State {
    void release(const std::string& key);
    mutable std::mutex mutex;
    std::unordered_map<std::string, Lane> lanes;  // present while someone holds the turn
  };

  std::shared_ptr<State> state_;
};

}  // namespace permit::core
