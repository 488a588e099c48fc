#pragma once

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>

namespace permit::outbound {

// One send rate for every instance, on the Redis server's clock: each send
// reserves the next free slot of a schedule spaced 1/rate apart (one Lua
// script, one round trip, no polling), then waits for its slot. So no
// second ever holds more than `per_second` sends, whichever instances and
// however many coroutines send. The schedule runs at 95 % of the limit: a
// send that is late on its way to the platform (a descheduled process, a
// slow connect) must not push a second at the platform over the limit by
// arriving together with the sends after it.
class RateLimiter {
 public:
  static constexpr const char* kKey = keys::kOutboundRate;

  RateLimiter(redis::Client& redis, int per_second) : redis_(redis), per_second_(per_second) {}

  static constexpr double kHeadroom = 0.95;

  // Waits until a send is allowed; fails only if Redis does.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> acquire();

 private:
  redis::Client& redis_;
  int per_second_;
};

}  // namespace permit::outbound
