#include "bot/inbound/reply_budgets.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace permit::core {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

std::shared_ptr<ReplyHandoff> handoff_for(std::uint64_t msg_id) {
  wechat::InboundMessage message;
  message.from_user = "stu1";
  message.msg_id = msg_id;
  return std::make_shared<ReplyHandoff>(std::move(message));
}

// What the webhook got from wait(), and when.
struct Waited {
  bool done = false;
  std::optional<ReplyHandoff::Outcome> outcome;
  SteadyClock::time_point at;
};

void start_waiting(asio::io_context& ioc, std::shared_ptr<ReplyHandoff> handoff, Waited& waited) {
  asio::co_spawn(
      ioc,
      [handoff, &waited]() -> asio::awaitable<void> {
        waited.outcome = co_await handoff->wait();
        waited.at = SteadyClock::now();
        waited.done = true;
      },
      asio::detached);
}

TEST(ReplyBudgets, AnOutcomeInTimeReachesTheWaitingWebhook) {
  asio::io_context ioc;
  ReplyBudgets budgets(ioc.get_executor());
  auto handoff = handoff_for(1);
  budgets.watch(handoff, SteadyClock::now() + 10s);
  Waited waited;
  start_waiting(ioc, handoff, waited);
  ioc.poll();
  EXPECT_FALSE(waited.done);
  ReplyHandoff::Outcome outcome = Processed{"hi", false};
  EXPECT_EQ(handoff->deliver(outcome), ReplyHandoff::Fate::waiting);
  ioc.poll();
  ASSERT_TRUE(waited.done);
  ASSERT_TRUE(waited.outcome && *waited.outcome);
  EXPECT_EQ((*waited.outcome)->reply, "hi");
  // Settled: dropped by the next watch, long before its deadline.
  budgets.watch(handoff_for(2), SteadyClock::now() + 10s);
  EXPECT_EQ(budgets.size(), 1u);
}

TEST(ReplyBudgets, AnOutcomeBeforeTheWaitIsThereAtOnce) {
  asio::io_context ioc;
  ReplyBudgets budgets(ioc.get_executor());
  auto handoff = handoff_for(1);
  ReplyHandoff::Outcome outcome = Processed{"hi", false};
  EXPECT_EQ(handoff->deliver(outcome), ReplyHandoff::Fate::waiting);
  budgets.watch(handoff, SteadyClock::now() + 10s);
  EXPECT_EQ(budgets.size(), 0u) << "settled already";
  Waited waited;
  start_waiting(ioc, handoff, waited);
  ioc.poll();
  ASSERT_TRUE(waited.done);
  EXPECT_TRUE(waited.outcome && *waited.outcome);
}

TEST(ReplyBudgets, OutOfTimeTheWebhookGoesOnAndTheMessageIsTheBackgroundTasks) {
  asio::io_context ioc;
  ReplyBudgets budgets(ioc.get_executor());
  auto handoff = handoff_for(1);
  const auto deadline = SteadyClock::now() + 50ms;
  budgets.watch(handoff, deadline);
  Waited waited;
  start_waiting(ioc, handoff, waited);
  ioc.run_for(2s);
  ASSERT_TRUE(waited.done);
  EXPECT_FALSE(waited.outcome);
  EXPECT_GE(waited.at, deadline);
  ReplyHandoff::Outcome outcome = Processed{"late", false};
  EXPECT_EQ(handoff->deliver(outcome), ReplyHandoff::Fate::deferred);
  ASSERT_TRUE(outcome) << "left to the background task";
  EXPECT_EQ(outcome->reply, "late");
}

TEST(ReplyBudgets, EachWaitEndsAtItsOwnDeadlineWhateverTheOrderTheyCameIn) {
  asio::io_context ioc;
  ReplyBudgets budgets(ioc.get_executor());
  const auto start = SteadyClock::now();
  const std::vector<std::chrono::milliseconds> budgets_ms{150ms, 50ms, 100ms};
  std::vector<std::shared_ptr<ReplyHandoff>> handoffs;
  std::vector<Waited> waited(budgets_ms.size());
  for (std::size_t i = 0; i < budgets_ms.size(); ++i) {
    handoffs.push_back(handoff_for(i + 1));
    budgets.watch(handoffs.back(), start + budgets_ms[i]);
    start_waiting(ioc, handoffs.back(), waited[i]);
  }
  // The one due at 100 ms has its outcome first.
  asio::steady_timer at_80ms(ioc, start + 80ms);
  at_80ms.async_wait([&](boost::system::error_code) {
    ReplyHandoff::Outcome outcome = Processed{"third", false};
    EXPECT_EQ(handoffs[2]->deliver(outcome), ReplyHandoff::Fate::waiting);
  });
  ioc.run_for(2s);
  for (std::size_t i = 0; i < waited.size(); ++i) ASSERT_TRUE(waited[i].done) << i;
  EXPECT_FALSE(waited[0].outcome);
  EXPECT_GE(waited[0].at, start + 150ms);
  EXPECT_FALSE(waited[1].outcome);
  EXPECT_GE(waited[1].at, start + 50ms);
  EXPECT_LT(waited[1].at, start + 150ms) << "not held up by the later deadline before it";
  ASSERT_TRUE(waited[2].outcome);
  EXPECT_LT(waited[2].at, start + 100ms);
  EXPECT_EQ(budgets.size(), 0u);
}

}  // namespace
}  // namespace permit::core
