#pragma once

#include "bot/outbound/rate_limiter.hpp"
#include "bot/outbound/wechat_api.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/util/task_handle.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <string>

namespace permit::outbound {

struct SenderOptions {
  std::string stream;    // entries with fields openid, dedupe, content
  std::string group = "senders";
  std::string consumer;  // this instance
  std::string template_id;  // for students outside the 48-hour window; empty: skip them
  int batch = 20;
  std::chrono::milliseconds block{400};        // under the Redis command timeout
  std::chrono::milliseconds claim_idle{30000};  // a crashed consumer's entries move on after this
  int max_failures = 5;                         // then the entry goes to {outbound}:dead
};

// Delivers the entries of a Redis stream through the platform's API, from
// any number of instances: a consumer group hands each entry to one
// consumer; entries a dead consumer held are reclaimed with XAUTOCLAIM; a
// sent marker per dedupe key ({outbound}:sent:KEY) keeps a redelivered entry
// from being sent twice. Every send passes the shared rate limit.
//
// An entry with a "broadcast" field belongs to a staff broadcast: it is
// skipped once the broadcast is cancelled, and its outcome is counted in
// {broadcast}:ID (sent, skipped, failed, cancelled; reasons by count).
//
// What the platform says decides what happens to an entry:
//   0                  sent: marker, XACK
//   45015              outside the window: template message if configured, else skipped
//   43004              not subscribed: skipped (reason in {outbound}:skipped)
//   45047, 45011       too many for now: left pending, retried after a pause
//   45009              daily quota used: every instance pauses until midnight
//                      (China time), and it is logged
//   anything else      counted; after max_failures, moved to {outbound}:dead
class StreamSender {
 public:
  static constexpr const char* kSkipped = "{outbound}:skipped";
  static constexpr const char* kDead = "{outbound}:dead";
  static constexpr const char* kPausedUntil = "{outbound}:paused-until";
  static constexpr const char* kFailures = "{outbound}:failures";

  StreamSender(boost::asio::any_io_executor executor, redis::Client& redis, WechatApi& api, RateLimiter& limiter,
               SenderOptions options);

  void start();
  // Stops taking new entries and waits for the one in hand (bounded by the
  // HTTP timeout).
  boost::asio::awaitable<void> stop();

 private:
  enum class Disposition { sent, skipped, retry_later, failed };

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> handle(const std::string& id, std::map<std::string, std::string> fields);
  boost::asio::awaitable<Disposition> deliver(const std::map<std::string, std::string>& fields);
  boost::asio::awaitable<void> finish(const std::string& id);
  // For entries of a staff broadcast: its counters in {broadcast}:ID.
  boost::asio::awaitable<void> count(const std::map<std::string, std::string>& fields, const char* counter,
                                     const std::string& reason = "");
  boost::asio::awaitable<void> record_skip(const std::map<std::string, std::string>& fields, const std::string& reason);
  boost::asio::awaitable<bool> paused();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);

  boost::asio::any_io_executor executor_;
  redis::Client& redis_;
  WechatApi& api_;
  RateLimiter& limiter_;
  SenderOptions options_;
  std::atomic<bool> stopping_{false};
  util::TaskHandle task_;
};

}  // namespace permit::outbound
