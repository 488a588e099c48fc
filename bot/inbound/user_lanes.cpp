#include "bot/inbound/user_lanes.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::core {
namespace asio = boost::asio;

UserLanes::UserLanes() : state_(std::make_shared<State>()) {}

UserLanes::Ticket::~Ticket() {
  if (state_) state_->release(key_);
}

asio::awaitable<UserLanes::Ticket> UserLanes::wait_turn(std::string key) {
  // A free lane is taken at once: going through the scheduler to be
  // resumed cost about 1,400 instructions of every webhook request.
  if (auto turn = try_turn(key)) co_return std::move(*turn);
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this](auto raw_handler, const std::string& k) {
        // Whoever passes the turn on may run on another thread: resume the
        // waiter on its own executor.
        auto executor = asio::get_associated_executor(raw_handler);
        Waiter handler = [h = std::move(raw_handler), executor]() mutable { asio::post(executor, std::move(h)); };
        std::unique_lock lock(state_->mutex);
        auto [it, inserted] = state_->lanes.try_emplace(k);
        if (!inserted) {
          it->second.waiters.emplace_back(std::move(handler));
          return;
        }
        lock.unlock();
        std::move(handler)();
      },
      asio::use_awaitable, key);
  co_return Ticket(state_, std::move(key));
}

std::optional<UserLanes::Ticket> UserLanes::try_turn(std::string key) {
  std::lock_guard lock(state_->mutex);
  if (!state_->lanes.try_emplace(key).second) return std::nullopt;
  return std::optional<Ticket>(std::in_place, state_, std::move(key));
}

void UserLanes::State::release(const std::string& key) {
  std::unique_lock lock(mutex);
  auto it = lanes.find(key);
  if (it == lanes.end()) return;
  if (it->second.waiters.empty()) {
    lanes.erase(it);
    return;
  }
  Waiter next = std::move(it->second.waiters.front());
  it->second.waiters.pop_front();
  lock.unlock();
  std::move(next)();  // the turn passes straight to the next waiter
}

std::size_t UserLanes::active_lanes() const {
  std::lock_guard lock(state_->mutex);
  return state_->lanes.size();
}

}  // namespace permit::core
