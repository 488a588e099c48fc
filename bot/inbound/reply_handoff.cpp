#include "bot/inbound/reply_handoff.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::core {
namespace asio = boost::asio;

asio::awaitable<std::optional<ReplyHandoff::Outcome>> ReplyHandoff::wait(
    std::chrono::steady_clock::time_point deadline) {
  // Arming the timer and delivering the outcome both happen under the
  // mutex, so a wake-up is never lost.
  auto token = asio::as_tuple(asio::use_awaitable);
  co_await asio::async_initiate<decltype(token), void(boost::system::error_code)>(
      [&](auto handler) {
        std::lock_guard lock(mutex_);
        wake_.expires_at(deadline);
        wake_.async_wait(std::move(handler));
        if (outcome_) wake_.cancel();
      },
      token);
  std::lock_guard lock(mutex_);
  if (!outcome_) {
    fate_ = Fate::deferred;  // out of time
    co_return std::nullopt;
  }
  co_return std::move(outcome_);
}

void ReplyHandoff::decide(Fate fate) {
  std::lock_guard lock(mutex_);
  fate_ = fate;
}

ReplyHandoff::Fate ReplyHandoff::deliver(Outcome& outcome) {
  std::lock_guard lock(mutex_);
  if (fate_ == Fate::waiting) {
    outcome_ = std::move(outcome);
    wake_.cancel();
  }
  return fate_;
}

}  // namespace permit::core
