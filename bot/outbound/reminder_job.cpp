#include "bot/outbound/reminder_job.hpp"

#include "bot/core/effect_outbox.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::outbound {
namespace asio = boost::asio;

namespace {

// KEYS: due set, texts, outbox stream. ARGV: now (unix s), batch size.
// Members are "YYYY-MM-DD|OPENID".
const redis::LuaScript kClaim(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do
  local text = redis.call('HGET', KEYS[2], m)
  if text then
    redis.call('XADD', KEYS[3], '*', 'openid', string.sub(m, 12), 'dedupe', 'r:' .. m, 'content', text)
  end
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
return #due
)lua");

}  // namespace

ReminderJob::ReminderJob(asio::any_io_executor executor, redis::Client& redis, core::Broadcasts* broadcasts,
                         std::chrono::milliseconds period)
    : executor_(executor), redis_(redis), broadcasts_(broadcasts), period_(period), tick_(executor), task_(executor) {}

void ReminderJob::start() { task_.spawn(run()); }

asio::awaitable<void> ReminderJob::stop() {
  stopping_ = true;
  tick_.cancel();
  co_await task_.join();
}

asio::awaitable<void> ReminderJob::run() {
  while (!stopping_) {
    const auto now =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::vector<std::string> keys{core::EffectOutbox::kDue, core::EffectOutbox::kReminderTexts, kOutbox};
    std::vector<std::string> args{std::to_string(now), "100"};
    auto claimed = co_await redis_.eval(kClaim, std::move(keys), std::move(args));
    if (broadcasts_ != nullptr) co_await broadcasts_->release_due(now);
    // A full batch: more may be due, go on at once.
    if (claimed && !claimed->is_error() && claimed->integer >= 100) continue;
    tick_.expires_after(period_);
    co_await tick_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace permit::outbound
