#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/awaitable.hpp>

#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace permit::core {

// Serialises the messages of one student inside this process: a second
// message (or a retry of the first) waits until the first is done. Across
// processes the store's compare-and-set takes over.
class UserLanes {
 public:
  class Turn {
   public:
    Turn() = default;
    Turn(UserLanes* lanes, std::string key) : lanes_(lanes), key_(std::move(key)) {}
    Turn(Turn&& other) noexcept : lanes_(std::exchange(other.lanes_, nullptr)), key_(std::move(other.key_)) {}
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    ~Turn() {
      if (lanes_ != nullptr) lanes_->release(key_);
    }

   private:
    UserLanes* lanes_ = nullptr;
    std::string key_;
  };

  // Completes when it is this caller's turn; the turn ends when the Turn dies.
  boost::asio::awaitable<Turn> wait_turn(std::string key);

  std::size_t active_lanes() const;

 private:
  using Waiter = boost::asio::any_completion_handler<void()>;
  struct Lane {
    std::deque<Waiter> waiters;
  };

  void release(const std::string& key);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Lane> lanes_;  // present while someone holds the turn
};

}  // namespace permit::core
