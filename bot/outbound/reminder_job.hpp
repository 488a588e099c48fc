#pragma once

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/util/periodic_task.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>

namespace permit::outbound {

// Moves reminders that are due from {reminders}:due into the stream
// {reminders}:outbox, which a StreamSender delivers. The move is one Lua
// script, so any number of instances can run this job and each reminder is
// claimed once; one that fell due while every instance was down is claimed
// by the first to come back.
class ReminderJob {
 public:
  static constexpr const char* kOutbox = keys::kReminderOutbox;

  ReminderJob(boost::asio::any_io_executor executor, redis::Client& redis,
              std::chrono::milliseconds period = std::chrono::seconds(1));

  void start() { task_.start(); }
  boost::asio::awaitable<void> stop() { co_await task_.stop(); }

 private:
  // True when a full batch was claimed: more may be due.
  boost::asio::awaitable<bool> claim_due();

  redis::Client& redis_;
  util::PeriodicTask task_;
};

}  // namespace permit::outbound
