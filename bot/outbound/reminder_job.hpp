#pragma once

#include "bot/core/broadcasts.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/util/task_handle.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>

namespace permit::outbound {

// Moves reminders that are due from {reminders}:due into the stream
// {reminders}:outbox, which a StreamSender delivers. The move is one Lua
// script, so any number of instances can run this job and each reminder is
// claimed once; one that fell due while every instance was down is claimed
// by the first to come back.
class ReminderJob {
 public:
  static constexpr const char* kOutbox = "{reminders}:outbox";

  // broadcasts: scheduled staff broadcasts are released by the same tick.
  ReminderJob(boost::asio::any_io_executor executor, redis::Client& redis, core::Broadcasts* broadcasts = nullptr,
              std::chrono::milliseconds period = std::chrono::seconds(1));

  void start();
  boost::asio::awaitable<void> stop();

 private:
  boost::asio::awaitable<void> run();

  boost::asio::any_io_executor executor_;
  redis::Client& redis_;
  core::Broadcasts* broadcasts_;
  std::chrono::milliseconds period_;
  std::atomic<bool> stopping_{false};
  boost::asio::steady_timer tick_;
  util::TaskHandle task_;
};

}  // namespace permit::outbound
