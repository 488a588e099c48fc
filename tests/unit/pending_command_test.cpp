#include "bot/redis/pending_command.hpp"

#include <gtest/gtest.h>

#include <boost/asio/error.hpp>

namespace permit::redis::detail {
namespace {

TEST(PendingCommands, OverdueAtTheFrontTimeOutAndAnsweredOnesAreDropped) {
  const auto now = Clock::now();
  int timed_out = 0, answered_late = 0, counted = 0, counted_when_completed = -1;
  auto command = [&](Clock::time_point deadline) {
    return std::make_shared<PendingCommand>(
        [&](error_code ec, Value) {
          if (ec == boost::asio::error::timed_out) counted_when_completed = counted;
          ++(ec == boost::asio::error::timed_out ? timed_out : answered_late);
        },
        deadline);
  };
  InFlight in_flight;
  in_flight.push_back(command(now - std::chrono::seconds(2)));  // overdue
  in_flight.push_back(command(now - std::chrono::seconds(1)));  // answered already
  in_flight.back()->complete({}, {});
  in_flight.push_back(command(now + std::chrono::seconds(1)));  // not yet due
  in_flight.push_back(command(now - std::chrono::seconds(1)));  // behind one not due: left for later

  EXPECT_EQ(expire_overdue(in_flight, now, boost::asio::error::timed_out, counted), 1u);
  EXPECT_EQ(timed_out, 1);
  EXPECT_EQ(counted, 1);
  // Counted before its caller hears of it: a caller resumed on another
  // thread reads the client's error count with its timeout in it.
  EXPECT_EQ(counted_when_completed, 1);
  EXPECT_EQ(answered_late, 1);  // the one completed above, not again
  ASSERT_EQ(in_flight.size(), 2u);
  EXPECT_FALSE(in_flight.front()->done);
  EXPECT_EQ(in_flight.front()->deadline, now + std::chrono::seconds(1));
}

}  // namespace
}  // namespace permit::redis::detail
