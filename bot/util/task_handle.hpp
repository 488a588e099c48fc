#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>

namespace permit::util {

// A long-running coroutine that can be joined: spawn() starts it, join()
// waits until it has returned. Its loop decides when to return (a stop
// flag of its owner).
class TaskHandle {
 public:
  explicit TaskHandle(boost::asio::any_io_executor executor) : executor_(executor), done_(executor) {}

  void spawn(boost::asio::awaitable<void> task) {
    running_ = true;
    done_.expires_at(std::chrono::steady_clock::time_point::max());
    boost::asio::co_spawn(executor_, std::move(task), [this](std::exception_ptr e) {
      running_ = false;
      done_.cancel();
      if (e) std::rethrow_exception(e);
    });
  }

  boost::asio::awaitable<void> join() {
    if (running_) co_await done_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }

 private:
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer done_;
  bool running_ = false;
};

}  // namespace permit::util
