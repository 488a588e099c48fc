#pragma once

#include "bot/util/wait_group.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace permit::util {

// A long-running coroutine that can be joined: spawn() starts it, join()
// waits until it has returned. Its loop decides when to return (a stop
// flag of its owner). The wait is a WaitGroup's, so a task that ends while
// join() starts is never missed, whatever thread each runs on.
class TaskHandle {
 public:
  explicit TaskHandle(boost::asio::any_io_executor executor) : executor_(executor), running_(executor) {}

  void spawn(boost::asio::awaitable<void> task) { running_.spawn(executor_, std::move(task)); }

  boost::asio::awaitable<void> join() { co_await running_.wait(std::chrono::steady_clock::time_point::max()); }

 private:
  boost::asio::any_io_executor executor_;
  WaitGroup running_;
};

}  // namespace permit::util
