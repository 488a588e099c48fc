#pragma once

#include "bot/staff/broadcasts.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/outbound/rate_limiter.hpp"
#include "bot/outbound/reminder_job.hpp"
#include "bot/outbound/stream_sender.hpp"
#include "bot/outbound/wechat_api.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/io_context.hpp>

#include <memory>
#include <string>
#include <vector>

namespace permit::outbound {

struct OutboundOptions {
  BaseUrl api_base;
  std::string appid, secret, template_id;
  int rate_per_second = 20;
  std::chrono::milliseconds api_timeout{5000};
  redis::Options redis;
  std::string instance;
  std::chrono::milliseconds claim_idle{30000};
  int max_attempts = 5;
  std::string ca_file;  // extra trusted CA certificates for the API's TLS
  int min_replica_acks = 0;  // see SenderOptions
  std::chrono::milliseconds replica_wait{500};
};

// Everything that sends: the API client, the shared rate limit, and one
// sender per stream (late replies, reminders, staff broadcasts), plus the
// job that releases due reminders. Each sender
// has a Redis connection of its own: a blocking XREADGROUP holds every
// command pipelined behind it on the same connection.
class OutboundService {
 public:
  OutboundService(boost::asio::io_context& ioc, OutboundOptions options);

  // The CA file of the options could not be loaded.
  const boost::system::error_code& ca_error() const { return http_.ca_error(); }

  void start();
  boost::asio::awaitable<void> stop();

 private:
  redis::Client redis_;  // the API token, the rate limit, the job
  std::vector<std::unique_ptr<redis::Client>> sender_redis_;
  HttpClient http_;
  RateLimiter limiter_;  // before api_, which sends through it
  WechatApi api_;
  ReminderJob job_;
  std::vector<std::unique_ptr<StreamSender>> senders_;
};

}  // namespace permit::outbound
