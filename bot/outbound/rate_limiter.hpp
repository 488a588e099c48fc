#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>

namespace permit::outbound {

// One send rate for every instance: a token bucket in Redis holding at most
// one token (GCRA), refilled at `per_second` on the Redis server's clock, so
// sends are spaced at least 1/per_second apart and no second ever holds more
// than per_second of them, whichever instances send.
class RateLimiter {
 public:
  static constexpr const char* kKey = "{outbound}:rate";

  RateLimiter(redis::Client& redis, int per_second) : redis_(redis), per_second_(per_second) {}

  // Waits until a send is allowed; fails only if Redis does.
  boost::asio::awaitable<boost::system::result<void>> acquire();

 private:
  redis::Client& redis_;
  int per_second_;
};

}  // namespace permit::outbound
