#include "bot/inbound/inbox.hpp"

#include "bot/inbound/conversation_store.hpp"
#include "bot/redis/survivable.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/log.hpp"
#include "bot/wechat/message_json.hpp"

#include <algorithm>
#include <tuple>

namespace permit::core {
namespace asio = boost::asio;

namespace {

// KEYS[1] students. ARGV: now (ms), lease (ms), limit. Returns a flat list
// openid, claim time, ... The claim time ends in .5, and expect() writes
// whole milliseconds, so a newer expect() never looks like our claim.
const redis::LuaScript kClaimDue(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local claimed = {}
local until_ms = string.format('%.1f', tonumber(ARGV[1]) + tonumber(ARGV[2]) + 0.5)
for _, openid in ipairs(due) do
  redis.call('ZADD', KEYS[1], until_ms, openid)
  claimed[#claimed + 1] = openid
  claimed[#claimed + 1] = until_ms
end
return claimed
)lua");

// KEYS[1] students. ARGV: openid, when to look (ms, whole), now (ms), soon
// (ms). Claims end in .5, so a whole time is not claimed.
// - An earlier time, not claimed and not due yet, stays: a student who keeps
//   writing does not put off a message held by an instance that died.
// - One already due becomes now + soon: not due at once, so no sweep can
//   look between this and the hold that follows, and drop the entry.
// - Otherwise the new time replaces it, a claim in progress included: its
//   release then sees the entry moved and leaves it for the new message.
const redis::LuaScript kExpect(R"lua(
local current = redis.call('ZSCORE', KEYS[1], ARGV[1])
local at = ARGV[2]
if current then
  local t = tonumber(current)
  if t == math.floor(t) then
    if t > tonumber(ARGV[3]) and t <= tonumber(at) then return 0 end
    if t <= tonumber(ARGV[3]) then at = tostring(tonumber(ARGV[3]) + tonumber(ARGV[4])) end
  end
end
redis.call('ZADD', KEYS[1], at, ARGV[1])
return 1
)lua");

// KEYS[1] students. ARGV: openid, claim time.
const redis::LuaScript kRelease(R"lua(
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0
)lua");

}  // namespace

asio::awaitable<boost::system::result<void>> Inbox::expect(std::string_view openid, std::int64_t now_ms,
                                                          std::int64_t look_at_ms) {
  constexpr std::int64_t kSoonMs = 2000;
  std::vector<std::string> keys{kSweepDue};
  std::vector<std::string> args{std::string(openid), std::to_string(look_at_ms), std::to_string(now_ms),
                                std::to_string(kSoonMs)};
  auto expected = co_await redis_.eval(kExpect, std::move(keys), std::move(args));
  co_return redis::succeeded(expected);
}

asio::awaitable<boost::system::result<std::vector<wechat::InboundMessage>>> Inbox::held(std::string_view openid) {
  std::vector<std::string> command{"HGETALL", inbox_key(openid)};
  auto all = co_await redis_.exec(std::move(command));
  if (!all) co_return all.error();
  if (!all->is_array()) co_return redis::Error::unexpected_reply;
  std::vector<wechat::InboundMessage> messages;
  for (std::size_t i = 0; i + 1 < all->elements.size(); i += 2) {
    auto fields = wechat::parse_json_fields(all->elements[i + 1].str);
    auto message = fields ? wechat::message_from_fields(*fields) : boost::system::result<wechat::InboundMessage>(fields.error());
    if (!message || message->from_user != openid) {
      util::log("error", "held message " + all->elements[i].str + " of " + std::string(openid) + " is unreadable; dropped");
      std::vector<std::string> drop{"HDEL", inbox_key(openid), all->elements[i].str};
      // Survivable: the next read finds it again and drops it then.
      redis::survivable(co_await redis_.exec(std::move(drop)), "dropping an unreadable held message");
      continue;
    }
    messages.push_back(std::move(*message));
  }
  std::sort(messages.begin(), messages.end(), [](const auto& a, const auto& b) {
    return std::tie(a.create_time, a.msg_id) < std::tie(b.create_time, b.msg_id);
  });
  co_return messages;
}

asio::awaitable<boost::system::result<std::vector<Inbox::Claim>>> Inbox::claim_due(std::int64_t now_ms,
                                                                                  std::int64_t lease_ms, int limit) {
  std::vector<std::string> keys{kSweepDue};
  std::vector<std::string> args{std::to_string(now_ms), std::to_string(lease_ms), std::to_string(limit)};
  auto claimed = co_await redis_.eval(kClaimDue, std::move(keys), std::move(args));
  if (!claimed) co_return claimed.error();
  if (!claimed->is_array()) co_return redis::Error::unexpected_reply;
  std::vector<Claim> claims;
  for (std::size_t i = 0; i + 1 < claimed->elements.size(); i += 2)
    claims.push_back({claimed->elements[i].str, claimed->elements[i + 1].str});
  co_return claims;
}

asio::awaitable<boost::system::result<bool>> Inbox::settled(std::string_view openid) {
  std::vector<std::vector<std::string>> commands{{"HLEN", inbox_key(openid)}, {"LLEN", outbox_key(openid)}};
  auto counts = co_await redis::exec_all(redis_, std::move(commands));
  // (result<bool> is built from an error explicitly: an error_code would
  // also convert to bool.)
  using Settled = boost::system::result<bool>;
  for (const auto& c : counts) {
    if (!c) co_return Settled(boost::system::in_place_error, c.error());
    if (!redis::to_int(*c)) co_return Settled(boost::system::in_place_error, redis::Error::unexpected_reply);
  }
  co_return *redis::to_int(*counts[0]) == 0 && *redis::to_int(*counts[1]) == 0;
}

asio::awaitable<boost::system::result<void>> Inbox::release(const Claim& claim) {
  std::vector<std::string> keys{kSweepDue};
  std::vector<std::string> args{claim.openid, claim.score};
  auto released = co_await redis_.eval(kRelease, std::move(keys), std::move(args));
  co_return redis::succeeded(released);
}

}  // namespace permit::core
