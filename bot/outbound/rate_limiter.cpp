#include "bot/outbound/rate_limiter.hpp"

#include "bot/redis/lua_script.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::outbound {
namespace asio = boost::asio;

namespace {

// KEYS[1]: the theoretical arrival time (µs) of the next allowed send.
// ARGV[1]: the interval between sends (µs). Returns 0 when the send may go
// now, else how many milliseconds to wait.
const redis::LuaScript kAcquire(R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat > now then return math.floor((tat - now) / 1000) + 1 end
redis.call('SET', KEYS[1], string.format('%.0f', math.max(tat, now) + tonumber(ARGV[1])), 'PX', 60000)
return 0
)lua");

}  // namespace

asio::awaitable<boost::system::result<void>> RateLimiter::acquire() {
  // 2% slack on the interval, so that delivery jitter on the way to the
  // platform cannot push a second over the limit.
  const auto interval_us = static_cast<std::int64_t>(1'020'000.0 / std::max(per_second_, 1));
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  for (;;) {
    std::vector<std::string> keys{kKey};
    std::vector<std::string> args{std::to_string(interval_us)};
    auto wait = co_await redis_.eval(kAcquire, std::move(keys), std::move(args));
    if (!wait) co_return wait.error();
    if (wait->is_error()) co_return redis::Error::unexpected_reply;
    if (wait->integer <= 0) co_return boost::system::result<void>{};
    pause.expires_after(std::chrono::milliseconds(wait->integer));
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace permit::outbound
