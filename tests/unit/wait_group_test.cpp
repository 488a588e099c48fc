#include "bot/util/wait_group.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <thread>
#include <vector>

namespace permit::util {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct WaitResult {
  std::optional<bool> finished;  // what wait() returned
  Clock::duration elapsed{};
  Clock::time_point ended{};
};

// A plain function, not a capturing lambda: its parameters live in the
// coroutine frame, which outlives the caller.
asio::awaitable<void> wait_and_record(WaitGroup& wg, Clock::time_point deadline, WaitResult& result,
                                      std::promise<void>* started) {
  const auto begin = Clock::now();
  if (started != nullptr) started->set_value();
  bool finished = co_await wg.wait(deadline);
  result.ended = Clock::now();
  result.elapsed = result.ended - begin;
  result.finished = finished;
}

// Spawns wg.wait(deadline) on `ioc`; `started` is fulfilled just before the wait begins.
void spawn_wait(asio::io_context& ioc, WaitGroup& wg, Clock::time_point deadline, WaitResult& result,
                std::promise<void>* started = nullptr) {
  asio::co_spawn(ioc, wait_and_record(wg, deadline, result, started), [](std::exception_ptr e) {
    if (e) std::rethrow_exception(e);
  });
}

TEST(WaitGroup, WaitWithNothingInFlightReturnsTrueAtOnce) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  WaitResult result;
  spawn_wait(ioc, wg, Clock::now() + 30s, result);
  ioc.run();
  ASSERT_TRUE(result.finished.has_value());
  EXPECT_TRUE(*result.finished);
  EXPECT_LT(result.elapsed, 10s) << "waited for the deadline although nothing was in flight";
}

TEST(WaitGroup, WaitWithNothingInFlightReturnsTrueEvenPastTheDeadline) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  WaitResult result;
  spawn_wait(ioc, wg, Clock::now() - 1s, result);
  ioc.run();
  ASSERT_TRUE(result.finished.has_value());
  EXPECT_TRUE(*result.finished);
}

TEST(WaitGroup, CountTracksAddAndDone) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  EXPECT_EQ(wg.count(), 0u);
  wg.add();
  wg.add();
  EXPECT_EQ(wg.count(), 2u);
  wg.done();
  EXPECT_EQ(wg.count(), 1u);
  wg.done();
  EXPECT_EQ(wg.count(), 0u);
  ioc.run();  // let the wake-up posted by the last done() run while wg is alive
}

TEST(WaitGroup, WaitReturnsTrueWhenOtherThreadsFinishBeforeTheDeadline) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  constexpr int kWorkers = 3;
  for (int i = 0; i < kWorkers; ++i) wg.add();

  WaitResult result;
  std::promise<void> started;
  std::shared_future<void> waiting = started.get_future().share();
  // A deadline far beyond the elapsed-time check below, so a wait that only
  // ends at the deadline fails the test rather than passing slowly.
  spawn_wait(ioc, wg, Clock::now() + 60s, result, &started);

  std::vector<std::thread> workers;
  for (int i = 0; i < kWorkers; ++i)
    workers.emplace_back([&wg, waiting] {
      waiting.wait();
      wg.done();
    });
  ioc.run();
  for (auto& w : workers) w.join();

  ASSERT_TRUE(result.finished.has_value());
  EXPECT_TRUE(*result.finished);
  EXPECT_LT(result.elapsed, 30s) << "the wait was not woken by done()";
  EXPECT_EQ(wg.count(), 0u);
}

TEST(WaitGroup, WaitReturnsFalseAtTheDeadlineWhenWorkRemains) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  wg.add();
  WaitResult result;
  const auto deadline = Clock::now() + 100ms;
  spawn_wait(ioc, wg, deadline, result);
  ioc.run();
  ASSERT_TRUE(result.finished.has_value());
  EXPECT_FALSE(*result.finished);
  EXPECT_GE(result.ended, deadline) << "gave up before the deadline";
  EXPECT_LT(result.elapsed, 30s);
  EXPECT_EQ(wg.count(), 1u);
}

TEST(WaitGroup, WaitReturnsFalseAtOnceWhenDeadlineHasPassedAndWorkRemains) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  wg.add();
  WaitResult result;
  spawn_wait(ioc, wg, Clock::now() - 1s, result);
  ioc.run();
  ASSERT_TRUE(result.finished.has_value());
  EXPECT_FALSE(*result.finished);
}

TEST(WaitGroup, PartialDoneDoesNotEndTheWait) {
  asio::io_context ioc;
  WaitGroup wg(ioc.get_executor());
  wg.add();
  wg.add();
  wg.done();
  WaitResult result;
  spawn_wait(ioc, wg, Clock::now() + 100ms, result);
  ioc.run();
  ASSERT_TRUE(result.finished.has_value());
  EXPECT_FALSE(*result.finished);
  EXPECT_EQ(wg.count(), 1u);
}

}  // namespace
}  // namespace permit::util
