#pragma once

#include "bot/util/task_handle.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <chrono>
#include <functional>

namespace permit::util {

// Runs `step` every `period` until stopped; a step that returns true (more
// work is waiting) runs again at once. Used by the jobs every instance
// runs (due reminders, scheduled and interrupted broadcasts).
class PeriodicTask {
 public:
  using Step = std::function<boost::asio::awaitable<bool>()>;

  PeriodicTask(boost::asio::any_io_executor executor, std::chrono::milliseconds period, Step step)
      : period_(period), step_(std::move(step)), tick_(executor), task_(executor) {}

  void start() { task_.spawn(run()); }

  // Waits for the step in progress, if any. The wake-up runs on the task's
  // executor (a strand), after the flag: either the loop sees the flag, or
  // it is already waiting and the cancel ends the wait.
  boost::asio::awaitable<void> stop() {
    stopping_ = true;
    boost::asio::post(tick_.get_executor(), [this] { tick_.cancel(); });
    co_await task_.join();
  }

 private:
  boost::asio::awaitable<void> run() {
    while (!stopping_) {
      auto step = step_();
      const bool more = co_await std::move(step);
      if (more) continue;
      if (stopping_) break;
      tick_.expires_after(period_);
      co_await tick_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
  }

  std::chrono::milliseconds period_;
  Step step_;
  std::atomic<bool> stopping_{false};
  boost::asio::steady_timer tick_;
  TaskHandle task_;
};

}  // namespace permit::util
