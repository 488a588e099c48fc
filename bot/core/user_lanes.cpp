#include "bot/core/user_lanes.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::core {
namespace asio = boost::asio;

asio::awaitable<UserLanes::Turn> UserLanes::wait_turn(std::string key) {
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this](auto raw_handler, const std::string& k) {
        // Whoever passes the turn on may run on another thread: resume the
        // waiter on its own executor.
        auto executor = asio::get_associated_executor(raw_handler);
        Waiter handler = [h = std::move(raw_handler), executor]() mutable { asio::post(executor, std::move(h)); };
        std::unique_lock lock(mutex_);
        auto [it, inserted] = lanes_.try_emplace(k);
        if (!inserted) {
          it->second.waiters.emplace_back(std::move(handler));
          return;
        }
        lock.unlock();
        std::move(handler)();
      },
      asio::use_awaitable, key);
  co_return Turn(this, std::move(key));
}

void UserLanes::release(const std::string& key) {
  std::unique_lock lock(mutex_);
  auto it = lanes_.find(key);
  if (it == lanes_.end()) return;
  if (it->second.waiters.empty()) {
    lanes_.erase(it);
    return;
  }
  Waiter next = std::move(it->second.waiters.front());
  it->second.waiters.pop_front();
  lock.unlock();
  std::move(next)();  // the turn passes straight to the next waiter
}

std::size_t UserLanes::active_lanes() const {
  std::lock_guard lock(mutex_);
  return lanes_.size();
}

}  // namespace permit::core
