#include "bot/outbound/rate_limiter.hpp"

#include "bot/redis/lua_script.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::outbound {
namespace asio = boost::asio;

namespace {

// KEYS[1]: the start (µs, Redis clock) of the next free slot. ARGV[1]: the
// interval between sends (µs). Reserves the next free slot and returns how
// many µs from now it starts (0: now).
const redis::LuaScript kReserve(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
redis.call('SET', KEYS[1], string.format('%.0f', slot + tonumber(ARGV[1])), 'PX', 60000)
return slot - now
)lua");

}  // namespace

asio::awaitable<boost::system::result<void>> RateLimiter::acquire() {
  const auto interval_us = static_cast<std::int64_t>(1e6 / (kHeadroom * std::max(per_second_, 1)));
  std::vector<std::string> keys{kKey};
  std::vector<std::string> args{std::to_string(interval_us)};
  auto wait = co_await redis_.eval(kReserve, std::move(keys), std::move(args));
  if (!wait) co_return wait.error();
  if (wait->is_error()) co_return redis::Error::unexpected_reply;
  if (wait->integer > 0) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer pause(executor, std::chrono::microseconds(wait->integer));
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return boost::system::result<void>{};
}

}  // namespace permit::outbound
