#include "bot/core/conversation_store.hpp"

namespace permit::core {
namespace asio = boost::asio;

namespace {

// A message held in {u:OPENID}:inbox (its webhook answered "success" before
// the reply was ready) leaves it in the same transaction that commits it,
// and its reply goes to the effect outbox as a "late_reply" entry, which
// the drain hands to the outbound sender. So a held message is committed
// once and its reply queued once, whichever instance finishes it.
#define PERMIT_LATE_REPLY_LUA \
  "local function late(outbox, dedupe, text, ttl)\n" \
  "  if text == '' then return end\n" \
  "  redis.call('RPUSH', outbox, cjson.encode({kind = 'late_reply', dedupe = dedupe, text = text}))\n" \
  "  redis.call('EXPIRE', outbox, ttl)\n" \
  "end\n"

// KEYS[1] conversation hash, KEYS[2] message reply, KEYS[3] effect outbox,
// KEYS[4] inbox. ARGV: dedupe key, retention (s).
// Returns {'dup', reply, pending effects} or {'state', version, state}.
const redis::LuaScript kLoad(PERMIT_LATE_REPLY_LUA R"lua(
local prior = redis.call('GET', KEYS[2])
if prior then
  if redis.call('HDEL', KEYS[4], ARGV[1]) == 1 then late(KEYS[3], ARGV[1], prior, ARGV[2]) end
  return {'dup', prior, redis.call('LLEN', KEYS[3])}
end
local row = redis.call('HMGET', KEYS[1], 'v', 's')
return {'state', row[1] or '0', row[2] or ''}
)lua");

// KEYS[1] conversation hash, KEYS[2] message reply, KEYS[3] effect outbox,
// KEYS[4] inbox.
// ARGV: expected version, new state, reply, retry window (s), retention (s),
// dedupe key, then the outbox entries, if any.
// Returns {'dup', reply, pending effects}, {'conflict', version} or
// {'ok', version, pending effects}. 't' is when the student last wrote (unix
// seconds): the platform's 48-hour window for customer-service messages
// runs from there.
const redis::LuaScript kCommit(PERMIT_LATE_REPLY_LUA R"lua(
local prior = redis.call('GET', KEYS[2])
if prior then
  if redis.call('HDEL', KEYS[4], ARGV[6]) == 1 then late(KEYS[3], ARGV[6], prior, ARGV[5]) end
  return {'dup', prior, redis.call('LLEN', KEYS[3])}
end
local current = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if current ~= tonumber(ARGV[1]) then return {'conflict', tostring(current)} end
local next = current + 1
redis.call('HSET', KEYS[1], 'v', next, 's', ARGV[2], 't', redis.call('TIME')[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if #ARGV > 6 then
  redis.call('RPUSH', KEYS[3], unpack(ARGV, 7))
  redis.call('EXPIRE', KEYS[3], ARGV[5])
end
if redis.call('HDEL', KEYS[4], ARGV[6]) == 1 then late(KEYS[3], ARGV[6], ARGV[3], ARGV[5]) end
return {'ok', tostring(next), redis.call('LLEN', KEYS[3])}
)lua");

// KEYS[1] message reply, KEYS[2] inbox, KEYS[3] effect outbox. ARGV: dedupe
// key, the message (JSON), retention (s).
// Returns 'held', or 'committed' when the message was committed already
// (its stored reply is then queued as a late reply at once).
const redis::LuaScript kHold(PERMIT_LATE_REPLY_LUA R"lua(
local prior = redis.call('GET', KEYS[1])
if prior then
  late(KEYS[3], ARGV[1], prior, ARGV[3])
  return 'committed'
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 'held'
)lua");

#undef PERMIT_LATE_REPLY_LUA

bool tagged(const redis::Value& v, std::string_view tag, std::size_t size) {
  return v.is_array() && v.elements.size() == size && v.elements[0].str == tag;
}

}  // namespace

std::string conversation_key(std::string_view openid) { return "{u:" + std::string(openid) + "}:conv"; }

std::string outbox_key(std::string_view openid) { return "{u:" + std::string(openid) + "}:outbox"; }

std::string inbox_key(std::string_view openid) { return "{u:" + std::string(openid) + "}:inbox"; }

std::string message_key(std::string_view openid, std::string_view dedupe_key) {
  return "{u:" + std::string(openid) + "}:msg:" + std::string(dedupe_key);
}

ConversationStore::ConversationStore(redis::Client& redis, StoreOptions options) : redis_(redis), options_(options) {}

asio::awaitable<boost::system::result<LoadResult>> ConversationStore::load(std::string_view openid,
                                                                          std::string_view dedupe_key) {
  // (Argument vectors are built before co_await: GCC 12 miscompiles braced
  // lists inside a co_await expression.)
  std::vector<std::string> keys{conversation_key(openid), message_key(openid, dedupe_key), outbox_key(openid),
                                inbox_key(openid)};
  std::vector<std::string> args{std::string(dedupe_key), std::to_string(options_.retention_seconds)};
  auto reply = co_await redis_.eval(kLoad, std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  const redis::Value& v = *reply;
  LoadResult result;
  if (tagged(v, "dup", 3)) {
    result.prior_reply = v.elements[1].str;
    result.pending_effects = v.elements[2].integer;
    co_return result;
  }
  if (!tagged(v, "state", 3)) co_return redis::Error::unexpected_reply;
  auto version = redis::to_int(v.elements[1].str);
  if (!version) co_return redis::Error::unexpected_reply;
  result.conversation = {*version, v.elements[2].str};
  co_return result;
}

asio::awaitable<boost::system::result<CommitResult>> ConversationStore::commit(std::string_view openid,
                                                                              std::string_view dedupe_key,
                                                                              std::int64_t expected_version,
                                                                              std::string new_state,
                                                                              std::string reply,
                                                                              std::vector<std::string> outbox) {
  std::vector<std::string> keys{conversation_key(openid), message_key(openid, dedupe_key), outbox_key(openid),
                                inbox_key(openid)};
  std::vector<std::string> args{std::to_string(expected_version), std::move(new_state), std::move(reply),
                                std::to_string(options_.retry_window_seconds),
                                std::to_string(options_.retention_seconds), std::string(dedupe_key)};
  for (auto& entry : outbox) args.push_back(std::move(entry));
  auto outcome = co_await redis_.eval(kCommit, std::move(keys), std::move(args));
  if (!outcome) co_return outcome.error();
  const redis::Value& v = *outcome;
  if (tagged(v, "dup", 3))
    co_return CommitResult{CommitResult::Status::duplicate, v.elements[1].str, 0, v.elements[2].integer};
  if (!v.is_array() || v.elements.size() < 2) co_return redis::Error::unexpected_reply;
  auto version = redis::to_int(v.elements[1].str);
  if (!version) co_return redis::Error::unexpected_reply;
  if (v.elements[0].str == "conflict") co_return CommitResult{CommitResult::Status::conflict, {}, *version};
  if (v.elements[0].str == "ok" && v.elements.size() == 3)
    co_return CommitResult{CommitResult::Status::committed, {}, *version, v.elements[2].integer};
  co_return redis::Error::unexpected_reply;
}

asio::awaitable<boost::system::result<HoldResult>> ConversationStore::hold(std::string_view openid,
                                                                           std::string_view dedupe_key,
                                                                           std::string message) {
  std::vector<std::string> keys{message_key(openid, dedupe_key), inbox_key(openid), outbox_key(openid)};
  std::vector<std::string> args{std::string(dedupe_key), std::move(message),
                                std::to_string(options_.retention_seconds)};
  auto outcome = co_await redis_.eval(kHold, std::move(keys), std::move(args));
  if (!outcome) co_return outcome.error();
  if (outcome->str == "held") co_return HoldResult::held;
  if (outcome->str == "committed") co_return HoldResult::committed;
  co_return redis::Error::unexpected_reply;
}

}  // namespace permit::core
