#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>

namespace permit::util {

// Counts work in flight and lets one coroutine wait, with a deadline, until
// it has all finished. Used to drain connections and background tasks on
// shutdown. The wake-up and the check both run on one strand, so a finish
// that races with the start of a wait is never missed.
class WaitGroup {
 public:
  explicit WaitGroup(boost::asio::any_io_executor executor)
      : strand_(boost::asio::make_strand(executor)), timer_(strand_) {}

  void add() { count_.fetch_add(1, std::memory_order_relaxed); }

  void done() {
    if (count_.fetch_sub(1, std::memory_order_acq_rel) == 1)
      boost::asio::post(strand_, [this] { timer_.cancel(); });
  }

  std::size_t count() const { return count_.load(std::memory_order_acquire); }

  // Runs `task` on `executor`, counted until it returns.
  void spawn(boost::asio::any_io_executor executor, boost::asio::awaitable<void> task) {
    add();
    boost::asio::co_spawn(executor, std::move(task), [this](std::exception_ptr e) {
      done();
      if (e) std::rethrow_exception(e);
    });
  }

  // True when everything finished before the deadline.
  boost::asio::awaitable<bool> wait(std::chrono::steady_clock::time_point deadline) {
    co_return co_await boost::asio::co_spawn(strand_, wait_on_strand(deadline), boost::asio::use_awaitable);
  }

 private:
  boost::asio::awaitable<bool> wait_on_strand(std::chrono::steady_clock::time_point deadline) {
    while (count() != 0) {
      if (std::chrono::steady_clock::now() >= deadline) co_return false;
      timer_.expires_at(deadline);
      co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return true;
  }

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  std::atomic<std::size_t> count_{0};
};

}  // namespace permit::util
