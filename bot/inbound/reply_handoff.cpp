#include "bot/inbound/reply_handoff.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::core {
namespace asio = boost::asio;

asio::awaitable<std::optional<ReplyHandoff::Outcome>> ReplyHandoff::wait() {
  // Suspending, resuming and deciding all happen under the mutex, so a
  // wake-up is never lost.
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [this](auto raw_handler) {
        // Whoever wakes the webhook may run on another thread: it resumes
        // on its own executor, at once when the waker is already there
        // (the background task runs on the webhook's strand).
        auto executor = asio::get_associated_executor(raw_handler);
        Waiter handler = [h = std::move(raw_handler), executor]() mutable { asio::dispatch(executor, std::move(h)); };
        std::unique_lock lock(mutex_);
        if (!outcome_ && !expired_) {
          waiter_.emplace(std::move(handler));
          return;
        }
        lock.unlock();
        // Not dispatched from inside the initiation: posted, as a timer's
        // completion would be.
        asio::post(executor, std::move(handler));
      },
      asio::use_awaitable);
  std::lock_guard lock(mutex_);
  if (!outcome_) {
    fate_ = Fate::deferred;  // out of time
    co_return std::nullopt;
  }
  co_return std::move(outcome_);
}

void ReplyHandoff::expire() {
  std::unique_lock lock(mutex_);
  expired_ = true;
  wake(lock);
}

bool ReplyHandoff::settled() const {
  std::lock_guard lock(mutex_);
  return outcome_ || expired_ || fate_ != Fate::waiting;
}

void ReplyHandoff::decide(Fate fate) {
  std::lock_guard lock(mutex_);
  fate_ = fate;
}

ReplyHandoff::Fate ReplyHandoff::deliver(Outcome& outcome) {
  std::unique_lock lock(mutex_);
  const Fate fate = fate_;
  if (fate == Fate::waiting) {
    outcome_ = std::move(outcome);
    wake(lock);
  }
  return fate;
}

void ReplyHandoff::wake(std::unique_lock<std::mutex>& lock) {
  if (!waiter_) return;
  Waiter waiter = std::move(*waiter_);
  waiter_.reset();
  lock.unlock();
  std::move(waiter)();
}

}  // namespace permit::core
