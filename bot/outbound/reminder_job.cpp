#include "bot/outbound/reminder_job.hpp"

#include "bot/inbound/effect_outbox.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/log.hpp"

namespace permit::outbound {
namespace asio = boost::asio;

namespace {

// KEYS: due set, texts, outbox stream. ARGV: now (unix s), batch size.
// Members are "YYYY-MM-DD|REMINDER|OPENID" (EffectOutbox::reminder_member):
// the openid is what follows the last "|", and the whole member is the
// reminder's dedupe key.
const redis::LuaScript kClaim(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, m in ipairs(due) do
  local text = redis.call('HGET', KEYS[2], m)
  if text then
    redis.call('XADD', KEYS[3], '*', 'openid', string.match(m, '[^|]+$'), 'dedupe', 'r:' .. m, 'content', text)
  end
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
return #due
)lua");

}  // namespace

ReminderJob::ReminderJob(asio::any_io_executor executor, redis::Client& redis, std::chrono::milliseconds period)
    : redis_(redis), task_(executor, period, [this] { return claim_due(); }) {}

asio::awaitable<bool> ReminderJob::claim_due() {
  const auto now = util::unix_now();
  std::vector<std::string> keys{core::EffectOutbox::kDue, core::EffectOutbox::kReminderTexts, kOutbox};
  std::vector<std::string> args{std::to_string(now), "100"};
  auto claimed = co_await redis_.eval(kClaim, std::move(keys), std::move(args));
  co_return claimed && !claimed->is_error() && claimed->integer >= 100;
}

}  // namespace permit::outbound
