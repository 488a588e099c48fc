#pragma once

#include "bot/util/wait_group.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <vector>

namespace permit::util {

// Runs the tasks at the same time on the caller's executor and returns when
// every one has finished. Commands that tasks send on one Redis connection
// at the same time share its pipeline. A task must not throw (errors on the
// I/O path are values); if one does, the first exception is rethrown once
// all have finished.
inline boost::asio::awaitable<void> run_concurrently(std::vector<boost::asio::awaitable<void>> tasks) {
  if (tasks.empty()) co_return;
  auto executor = co_await boost::asio::this_coro::executor;
  // Shared: a task's completion may run after this frame has resumed.
  auto group = std::make_shared<WaitGroup>(executor);
  struct Failure {
    std::mutex mutex;
    std::exception_ptr first;
  };
  auto failure = std::make_shared<Failure>();
  for (auto& task : tasks) {
    group->add();
    boost::asio::co_spawn(executor, std::move(task), [group, failure](std::exception_ptr e) {
      if (e) {
        std::lock_guard lock(failure->mutex);
        if (!failure->first) failure->first = e;
      }
      group->done();
    });
  }
  co_await group->wait(std::chrono::steady_clock::time_point::max());
  if (failure->first) std::rethrow_exception(failure->first);
}

// A task for run_concurrently that stores what `task` returns in `out`
// (which must outlive it).
template <class T>
boost::asio::awaitable<void> assign_from(boost::asio::awaitable<T> task, T& out) {
  out = co_await std::move(task);
}

}  // namespace permit::util
