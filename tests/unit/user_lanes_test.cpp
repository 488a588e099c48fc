#include "bot/inbound/user_lanes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace permit::core {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Runs `ioc` on two threads until it runs out of work. Returns false (after
// stopping it) if that takes longer than `limit`, so a lost wake-up fails
// the test instead of hanging it.
bool run_on_two_threads(asio::io_context& ioc, std::chrono::seconds limit = 30s) {
  std::mutex mutex;
  std::condition_variable finished_cv;
  int finished = 0;
  auto runner = [&] {
    ioc.run();
    std::lock_guard lock(mutex);
    ++finished;
    finished_cv.notify_all();
  };
  std::thread a(runner);
  std::thread b(runner);
  bool in_time;
  {
    std::unique_lock lock(mutex);
    in_time = finished_cv.wait_for(lock, limit, [&] { return finished == 2; });
  }
  if (!in_time) ioc.stop();
  a.join();
  b.join();
  return in_time;
}

// Rethrows anything a spawned coroutine threw, on the test thread.
struct ErrorSlot {
  std::mutex mutex;
  std::exception_ptr error;
  auto handler() {
    return [this](std::exception_ptr e) {
      if (!e) return;
      std::lock_guard lock(mutex);
      if (!error) error = e;
    };
  }
  void rethrow() {
    if (error) std::rethrow_exception(error);
  }
};

TEST(UserLanes, SameKeyTurnsNeverOverlap) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  constexpr int kTasks = 200;
  std::atomic<int> inside{0};
  std::atomic<int> max_inside{0};
  std::atomic<int> completed{0};

  auto task = [&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    auto turn = co_await lanes.wait_turn("student-1");
    int now_inside = ++inside;
    int seen = max_inside.load();
    while (now_inside > seen && !max_inside.compare_exchange_weak(seen, now_inside)) {
    }
    // Hop through the scheduler a few times while holding the turn, so
    // other tasks (on the other thread) get every chance to barge in.
    for (int i = 0; i < 5; ++i) co_await asio::post(executor, asio::use_awaitable);
    --inside;
    ++completed;
  };
  for (int i = 0; i < kTasks; ++i) asio::co_spawn(ioc, task(), errors.handler());

  ASSERT_TRUE(run_on_two_threads(ioc)) << "tasks still waiting for their turn: " << kTasks - completed.load();
  errors.rethrow();
  EXPECT_EQ(completed.load(), kTasks);
  EXPECT_EQ(max_inside.load(), 1);
  EXPECT_EQ(inside.load(), 0);
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

TEST(UserLanes, TurnsForOneKeyAreGrantedInArrivalOrder) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  auto strand = asio::make_strand(ioc);
  constexpr int kWaiters = 50;
  std::mutex order_mutex;
  std::vector<int> order;
  int enqueued = 0;  // touched only on `strand`

  auto waiter = [&](int index) -> asio::awaitable<void> {
    // wait_turn joins the queue before this handler returns, and the strand
    // runs one handler at a time, so `enqueued` counts queued waiters.
    ++enqueued;
    auto turn = co_await lanes.wait_turn("student-1");
    std::lock_guard lock(order_mutex);
    order.push_back(index);
  };

  auto holder = [&]() -> asio::awaitable<void> {
    auto turn = co_await lanes.wait_turn("student-1");
    for (int i = 0; i < kWaiters; ++i) asio::co_spawn(strand, waiter(i), errors.handler());
    while (enqueued < kWaiters) co_await asio::post(strand, asio::use_awaitable);
    EXPECT_EQ(lanes.active_lanes(), 1u);
  };  // the turn passes on here
  asio::co_spawn(strand, holder(), errors.handler());

  ASSERT_TRUE(run_on_two_threads(ioc));
  errors.rethrow();
  std::vector<int> expected;
  for (int i = 0; i < kWaiters; ++i) expected.push_back(i);
  EXPECT_EQ(order, expected);
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

TEST(UserLanes, DifferentKeysHoldTurnsAtTheSameTime) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  auto a_strand = asio::make_strand(ioc);
  // B's signal to A: a flag and a timer cancel, both on A's strand, so a
  // cancel that comes before A starts waiting is not lost.
  asio::steady_timer signal(a_strand);
  bool b_signalled = false;  // touched only on a_strand
  std::atomic<bool> a_holding{false};
  std::optional<bool> a_woken_by_b;
  std::atomic<bool> b_saw_a_holding{false};
  std::atomic<std::size_t> lanes_while_both_held{0};

  auto b = [&]() -> asio::awaitable<void> {
    auto turn = co_await lanes.wait_turn("student-B");
    b_saw_a_holding = a_holding.load();
    lanes_while_both_held = lanes.active_lanes();
    asio::post(a_strand, [&] {
      b_signalled = true;
      signal.cancel();
    });
  };

  auto a = [&]() -> asio::awaitable<void> {
    auto turn = co_await lanes.wait_turn("student-A");
    a_holding = true;
    // B runs on its own strand, so it may run on the other thread.
    asio::co_spawn(asio::make_strand(ioc), b(), errors.handler());
    // A generous deadline: if B cannot get its turn, A gives up and the
    // assertion below fails instead of the test hanging.
    signal.expires_after(20s);
    while (!b_signalled) {
      auto [ec] = co_await signal.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!ec) break;  // deadline
    }
    a_woken_by_b = b_signalled;
    a_holding = false;
  };
  asio::co_spawn(a_strand, a(), errors.handler());

  ASSERT_TRUE(run_on_two_threads(ioc));
  errors.rethrow();
  ASSERT_TRUE(a_woken_by_b.has_value());
  EXPECT_TRUE(*a_woken_by_b) << "key B did not get its turn while key A held one";
  EXPECT_TRUE(b_saw_a_holding.load());
  EXPECT_EQ(lanes_while_both_held.load(), 2u);
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

TEST(UserLanes, ManyKeysWithManyTasksEachAllRunAndLeaveNoLanes) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  constexpr int kKeys = 8;
  constexpr int kPerKey = 25;
  std::atomic<int> inside[kKeys] = {};
  std::atomic<bool> overlapped{false};
  std::atomic<int> completed{0};

  auto task = [&](int key) -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    auto turn = co_await lanes.wait_turn("student-" + std::to_string(key));
    if (++inside[key] != 1) overlapped = true;
    co_await asio::post(executor, asio::use_awaitable);
    co_await asio::post(executor, asio::use_awaitable);
    --inside[key];
    ++completed;
  };
  for (int i = 0; i < kPerKey; ++i)
    for (int key = 0; key < kKeys; ++key) asio::co_spawn(ioc, task(key), errors.handler());

  ASSERT_TRUE(run_on_two_threads(ioc));
  errors.rethrow();
  EXPECT_EQ(completed.load(), kKeys * kPerKey);
  EXPECT_FALSE(overlapped.load());
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

TEST(UserLanes, MovedTurnReleasesOnlyOnce) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  std::atomic<int> second_ran{0};
  std::size_t lanes_after_move = 99;

  auto second = [&]() -> asio::awaitable<void> {
    auto turn = co_await lanes.wait_turn("k");
    ++second_ran;
  };
  auto first = [&]() -> asio::awaitable<void> {
    std::optional<UserLanes::Ticket> outer;
    {
      auto turn = co_await lanes.wait_turn("k");
      outer.emplace(std::move(turn));
    }  // the moved-from turn dies here and must not release
    lanes_after_move = lanes.active_lanes();
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, second(), errors.handler());
    co_await asio::post(executor, asio::use_awaitable);
    co_await asio::post(executor, asio::use_awaitable);
    EXPECT_EQ(second_ran.load(), 0) << "second got the turn while the moved-to turn was alive";
  };
  auto strand = asio::make_strand(ioc);
  asio::co_spawn(strand, first(), errors.handler());

  ASSERT_TRUE(run_on_two_threads(ioc));
  errors.rethrow();
  EXPECT_EQ(lanes_after_move, 1u);
  EXPECT_EQ(second_ran.load(), 1);
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

TEST(UserLanes, TryTurnGetsAFreeLaneAndNeverWaitsForABusyOne) {
  UserLanes lanes;
  asio::io_context ioc;
  ErrorSlot errors;
  bool waiter_ran = false;
  auto waiter = [&]() -> asio::awaitable<void> {
    auto turn = co_await lanes.wait_turn("k");
    waiter_ran = true;
  };
  auto test = [&]() -> asio::awaitable<void> {
    auto first = lanes.try_turn("k");
    EXPECT_TRUE(first.has_value());
    EXPECT_FALSE(lanes.try_turn("k").has_value()) << "a busy lane was granted twice";
    EXPECT_TRUE(lanes.try_turn("other").has_value());
    // A waiter queued behind a try_turn gets the lane when it is released.
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, waiter(), errors.handler());
    co_await asio::post(executor, asio::use_awaitable);
    EXPECT_FALSE(waiter_ran);
    first.reset();
  };
  asio::co_spawn(asio::make_strand(ioc), test(), errors.handler());
  ASSERT_TRUE(run_on_two_threads(ioc));
  errors.rethrow();
  EXPECT_TRUE(waiter_ran);
  EXPECT_EQ(lanes.active_lanes(), 0u);
}

}  // namespace
}  // namespace permit::core
