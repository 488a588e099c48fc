#include "bot/inbound/conversation_store.hpp"

#include "bot/redis/keys.hpp"

#include <algorithm>
#include <chrono>

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

// The replies of a student's last 4 messages are kept, for the platform's
// retries, in the conversation hash itself: a ring of fields d0..d3 (the
// message's dedupe key) and r0..r3 (its reply), slot = version % 4. The
// platform retries a message twice, 5 s apart, when its answer is late or
// lost, so a retry comes within about 15 s of its first attempt; nobody
// sends 4 messages that are all answered within 15 s. Kept in the hash, a
// commit is one read and one write of one key, with no key per message and
// no second expiry (bench/README.md, "The commit"): the last 4 replies stay
// with the state, a bounded amount per student.
// answered_before: the load's and the commit's answer to a retry (a row
// read as v, s or e, d0..d3): the stored reply; a held message leaves the
// inbox with it, its reply queued once.
static_assert(kRecentReplies == 4, "the scripts below read d0..d3");
#define PERMIT_RECENT_LUA \
  "local function recent_reply(row, first, key, dedupe)\n" \
  "  for i = 0, 3 do\n" \
  "    if row[first + i] == dedupe then return redis.call('HGET', key, 'r' .. i) or '' end\n" \
  "  end\n" \
  "  return false\n" \
  "end\n" \
  "local function answered_before(row, hash, outbox, inbox, dedupe, ttl)\n" \
  "  local prior = recent_reply(row, 3, hash, dedupe)\n" \
  "  if not prior then return nil end\n" \
  "  if redis.call('HDEL', inbox, dedupe) == 1 then late(outbox, dedupe, prior, ttl) end\n" \
  "  return {'dup', prior, redis.call('LLEN', outbox)}\n" \
  "end\n"

// KEYS[1] conversation hash, KEYS[2] effect outbox, KEYS[3] inbox.
// ARGV: dedupe key, retention (s).
// Returns {'dup', reply, pending effects} or {'state', version, state,
// d0, d1, d2, d3} (an unused slot is a nil).
const redis::LuaScript kLoad(PERMIT_LATE_REPLY_LUA PERMIT_RECENT_LUA R"lua(
local row = redis.call('HMGET', KEYS[1], 'v', 's', 'd0', 'd1', 'd2', 'd3')
local dup = answered_before(row, KEYS[1], KEYS[2], KEYS[3], ARGV[1], ARGV[2])
if dup then return dup end
return {'state', row[1] or '0', row[2] or '', row[3], row[4], row[5], row[6]}
)lua");

// What both commit functions do once the message is known to be new: the
// compare-and-set of the version, then the writes: v, e and h are the
// hash's fields as read. KEYS and ARGV as for kCommit below.
// 't' is when the student last wrote: the platform's 48-hour window for
// customer-service messages runs from there. The hash's expiry is renewed
// when the day ('e') changes, not on every message: one write fewer per
// message. 'h' is set by the hold script while the inbox may hold a
// message, so the common commit asks nothing of the inbox. The pending
// effects are what this commit pushed (RPUSH's length, leftovers
// included), not a count asked every time: leftovers of a failed drain are
// the sweep's, which expect_sweep scheduled before that commit. Each
// redis.call saved is several per cent of the commit's cost in Redis
// (bench/README.md, "The commit that asks less").
#define PERMIT_COMMIT_WRITE_LUA \
  "local function write(v, e, h, KEYS, ARGV)\n" \
  "  if (v or '0') ~= ARGV[1] then return v or '0' end\n" \
  "  if e ~= ARGV[9] then\n" \
  "    redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[4], 't', ARGV[8], 'd' .. ARGV[3], ARGV[6],\n" \
  "               'r' .. ARGV[3], ARGV[5], 'e', ARGV[9])\n" \
  "    redis.call('EXPIRE', KEYS[1], ARGV[7])\n" \
  "  else\n" \
  "    redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[4], 't', ARGV[8], 'd' .. ARGV[3], ARGV[6],\n" \
  "               'r' .. ARGV[3], ARGV[5])\n" \
  "  end\n" \
  "  local pending = 0\n" \
  "  if #ARGV > 9 then\n" \
  "    pending = redis.call('RPUSH', KEYS[2], unpack(ARGV, 10))\n" \
  "    redis.call('EXPIRE', KEYS[2], ARGV[7])\n" \
  "  end\n" \
  "  if h then\n" \
  "    if redis.call('HDEL', KEYS[3], ARGV[6]) == 1 then\n" \
  "      late(KEYS[2], ARGV[6], ARGV[5], ARGV[7])\n" \
  "      pending = redis.call('LLEN', KEYS[2])\n" \
  "    end\n" \
  "    if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('HDEL', KEYS[1], 'h') end\n" \
  "  end\n" \
  "  return pending\n" \
  "end\n"

// KEYS[1] conversation hash, KEYS[2] effect outbox, KEYS[3] inbox.
// ARGV: 1 expected version, 2 next version, 3 ring slot, 4 new state,
// 5 reply, 6 dedupe key, 7 retention (s), 8 now (unix s), 9 retention day,
// then the outbox entries, if any. The numbers come from the client as
// strings, so the function converts none (number formatting is a large
// part of a small script's cost).
// Returns {'dup', reply, pending effects}; the stored version, a string,
// on a conflict; the pending effects, an integer, when committed (the new
// version is ARGV[2]). A bare number or string costs Redis less than a
// table to turn into its reply (bench/README.md, "The commit by FCALL").
// A function (FCALL), not a script: its helpers are defined once, KEYS and
// ARGV are its arguments rather than globals set on every call.
const redis::LuaFunction kCommit("permit_commit", PERMIT_LATE_REPLY_LUA PERMIT_RECENT_LUA PERMIT_COMMIT_WRITE_LUA,
                                 R"lua(
local row = redis.call('HMGET', KEYS[1], 'v', 'e', 'd0', 'd1', 'd2', 'd3', 'h')
local dup = answered_before(row, KEYS[1], KEYS[2], KEYS[3], ARGV[6], ARGV[7])
if dup then return dup end
return write(row[1], row[2], row[7], KEYS, ARGV)
)lua");

// The same for a message the client knows is not among the ring's keys at
// the expected version (ConversationStore::commit): if the version matches,
// the stored ring is that one, so nothing of it need be read. The common
// commit; a third of Redis's work less than kCommit's per message
// (bench/README.md).
const redis::LuaFunction kCommitNew("permit_commit_new", PERMIT_LATE_REPLY_LUA PERMIT_COMMIT_WRITE_LUA, R"lua(
local row = redis.call('HMGET', KEYS[1], 'v', 'e', 'h')
return write(row[1], row[2], row[3], KEYS, ARGV)
)lua");

// KEYS[1] conversation hash, KEYS[2] inbox, KEYS[3] effect outbox. ARGV:
// dedupe key, the message (JSON), retention (s).
// Returns 'held', or 'committed' when the message was committed already
// (its stored reply is then queued as a late reply at once).
const redis::LuaScript kHold(PERMIT_LATE_REPLY_LUA PERMIT_RECENT_LUA R"lua(
local row = redis.call('HMGET', KEYS[1], 'd0', 'd1', 'd2', 'd3')
local prior = recent_reply(row, 1, KEYS[1], ARGV[1])
if prior then
  late(KEYS[3], ARGV[1], prior, ARGV[3])
  return 'committed'
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'h', '1')
return 'held'
)lua");

#undef PERMIT_COMMIT_WRITE_LUA
#undef PERMIT_RECENT_LUA
#undef PERMIT_LATE_REPLY_LUA

bool tagged(const redis::Value& v, std::string_view tag, std::size_t size) {
  return v.is_array() && v.elements.size() == size && v.elements[0].str == tag;
}

}  // namespace

std::string conversation_key(std::string_view openid) { return keys::conversation(openid); }

std::string outbox_key(std::string_view openid) { return keys::outbox(openid); }

std::string inbox_key(std::string_view openid) { return keys::inbox(openid); }

ConversationStore::ConversationStore(redis::Client& redis, StoreOptions options) : redis_(redis), options_(options) {}

asio::awaitable<boost::system::result<StoredConversation>> ConversationStore::load(std::string_view openid,
                                                                          std::string_view dedupe_key) {
  // (Argument vectors are built before co_await: GCC 12 miscompiles braced
  // lists inside a co_await expression.)
  std::vector<std::string> keys{conversation_key(openid), outbox_key(openid), inbox_key(openid)};
  std::vector<std::string> args{std::string(dedupe_key), std::to_string(options_.retention_seconds)};
  auto reply = co_await redis_.eval(kLoad, std::move(keys), std::move(args));
  if (!reply) co_return reply.error();
  const redis::Value& v = *reply;
  StoredConversation result;
  if (tagged(v, "dup", 3)) {
    result.prior_reply = v.elements[1].str;
    result.pending_effects = v.elements[2].integer;
    co_return result;
  }
  if (!tagged(v, "state", 3 + kRecentReplies)) co_return redis::Error::unexpected_reply;
  auto version = redis::to_int(v.elements[1].str);
  if (!version) co_return redis::Error::unexpected_reply;
  RecentKeys recent;
  for (std::size_t i = 0; i < recent.size(); ++i) recent[i] = v.elements[3 + i].str;  // a nil reads as ""
  result.conversation = {*version, v.elements[2].str, nullptr, std::move(recent)};
  co_return result;
}

asio::awaitable<boost::system::result<CommitResult>> ConversationStore::commit(std::string_view openid,
                                                                              std::string_view dedupe_key,
                                                                              std::int64_t expected_version,
                                                                              std::string new_state,
                                                                              std::string reply,
                                                                              std::vector<std::string> outbox,
                                                                              const RecentKeys* recent) {
  // A message among the ring's keys may be a retry: the function that
  // reads the ring answers it with its stored reply.
  const bool is_new = recent && std::find(recent->begin(), recent->end(), dedupe_key) == recent->end();
  std::vector<std::string> keys{conversation_key(openid), outbox_key(openid), inbox_key(openid)};
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<std::string> args{std::to_string(expected_version),
                                std::to_string(expected_version + 1),
                                std::to_string(ring_slot(expected_version + 1)),
                                std::move(new_state),
                                std::move(reply),
                                std::string(dedupe_key),
                                std::to_string(options_.retention_seconds),
                                std::to_string(now),
                                std::to_string(now / 86400)};
  for (auto& entry : outbox) args.push_back(std::move(entry));
  auto outcome = co_await redis_.fcall(is_new ? kCommitNew : kCommit, std::move(keys), std::move(args));
  if (!outcome) co_return outcome.error();
  const redis::Value& v = *outcome;
  if (tagged(v, "dup", 3))
    co_return CommitResult{CommitResult::Status::duplicate, v.elements[1].str, 0, v.elements[2].integer};
  if (v.type == redis::Value::Type::integer)
    co_return CommitResult{CommitResult::Status::committed, {}, expected_version + 1, v.integer};
  if (v.type != redis::Value::Type::string) co_return redis::Error::unexpected_reply;
  auto version = redis::to_int(v.str);
  if (!version) co_return redis::Error::unexpected_reply;
  co_return CommitResult{CommitResult::Status::conflict, {}, *version};
}

asio::awaitable<boost::system::result<HoldResult>> ConversationStore::hold(std::string_view openid,
                                                                           std::string_view dedupe_key,
                                                                           std::string message) {
  std::vector<std::string> keys{conversation_key(openid), inbox_key(openid), outbox_key(openid)};
  std::vector<std::string> args{std::string(dedupe_key), std::move(message),
                                std::to_string(options_.retention_seconds)};
  auto outcome = co_await redis_.eval(kHold, std::move(keys), std::move(args));
  if (!outcome) co_return outcome.error();
  if (outcome->str == "held") co_return HoldResult::held;
  if (outcome->str == "committed") co_return HoldResult::committed;
  co_return redis::Error::unexpected_reply;
}

}  // namespace permit::core
