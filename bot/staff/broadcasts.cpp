#include "bot/staff/broadcasts.hpp"

#include "bot/staff/student_states.hpp"
#include "bot/redis/survivable.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/json.hpp"
#include "dialogs/student_state.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::core {
namespace asio = boost::asio;

namespace {

// A student who has not written for this long is outside the platform's
// 48-hour window (an hour of margin): only a template message reaches them.
constexpr std::int64_t kWindowSeconds = 47 * 3600;

// KEYS: scheduled set, fanning set. ARGV: now, batch. Moves the due ids to
// the fan-outs under way, so the job of some instance fans each out once.
const redis::LuaScript kReleaseDue(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do
  redis.call('ZREM', KEYS[1], id)
  redis.call('SADD', KEYS[2], id)
end
return #due
)lua");

// KEYS: hash, scheduled, fanning, lease. ARGV: owner, lease ms, id, send_at
// (0: now), then field, value pairs of the hash. Stores a new broadcast and
// schedules it, or starts its fan-out under this instance's lease.
const redis::LuaScript kCreate(R"lua(
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
if ARGV[4] ~= '0' then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
else
  redis.call('SADD', KEYS[3], ARGV[3])
  redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[2])
end
return 1
)lua");

// KEYS: hash, members, queue, lease, fanning. ARGV: owner, lease ms, id, the
// SCAN cursor after this page, then (openid, lang, window) per recipient.
// Queues one page of a fan-out while this instance holds the lease; returns
// how many are queued in all, -1 if the lease is someone else's, -2 if the
// broadcast was cancelled (or is gone) or is queued already. (The last is
// a resume that read the fan-outs under way just before another instance
// finished this one, and took the lease it released: its cursor is "0"
// again, and without this check it would queue everyone a second time.)
const redis::LuaScript kEnqueue(R"lua(
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return -1 end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'cancelled' or status == 'queued' or not status then
  redis.call('DEL', KEYS[2], KEYS[4])
  redis.call('SREM', KEYS[5], ARGV[3])
  return -2
end
if status == 'scheduled' then redis.call('HSET', KEYS[1], 'status', 'queueing') end
redis.call('PEXPIRE', KEYS[4], ARGV[2])
local added = 0
for i = 5, #ARGV, 3 do
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    local entry = {'openid', ARGV[i], 'dedupe', 'b:' .. ARGV[3] .. ':' .. ARGV[i], 'broadcast', ARGV[3], 'lang', ARGV[i + 1]}
    if ARGV[i + 2] ~= '' then
      table.insert(entry, 'window')
      table.insert(entry, ARGV[i + 2])
    end
    redis.call('XADD', KEYS[3], '*', unpack(entry))
    added = added + 1
  end
end
local queued = redis.call('HINCRBY', KEYS[1], 'queued', added)
redis.call('HSET', KEYS[1], 'cursor', ARGV[4])
if ARGV[4] == '0' then
  redis.call('HSET', KEYS[1], 'status', 'queued', 'audience_size', queued)
  redis.call('DEL', KEYS[2], KEYS[4])
  redis.call('SREM', KEYS[5], ARGV[3])
end
return queued
)lua");

using util::unix_now;

bool matches(const Audience& a, const dialogs::StudentState& st) {
  if (!st.subscribed) return false;  // the platform would refuse them (43004)
  if (a.all) return true;
  if (!a.university.empty() && st.university != a.university) return false;
  if (!a.step.empty() && st.node != a.step) return false;
  if (!a.expiry_from.empty() && (st.expiry().empty() || st.expiry() < a.expiry_from)) return false;
  if (!a.expiry_to.empty() && (st.expiry().empty() || st.expiry() > a.expiry_to)) return false;
  if (!a.lang.empty() && a.lang != dialogs::lang_code(st.pinned.value_or(st.last))) return false;
  return true;
}

}  // namespace

std::string audience_json(const Audience& a) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  if (a.all) {
    w.Key("all");
    w.Bool(true);
  }
  for (auto [name, value] : {std::pair<const char*, const std::string*>{"university", &a.university},
                             {"step", &a.step}, {"expiry_from", &a.expiry_from}, {"expiry_to", &a.expiry_to},
                             {"lang", &a.lang}}) {
    if (value->empty()) continue;
    w.Key(name);
    w.String(value->c_str());
  }
  w.EndObject();
  return buffer.GetString();
}

Audience audience_from_json(const std::string& json) {
  rapidjson::Document doc;
  Audience a;
  if (doc.Parse(json.c_str()).HasParseError() || !doc.IsObject()) return a;
  a.all = doc.HasMember("all") && doc["all"].IsBool() && doc["all"].GetBool();
  a.university = util::string_field(doc, "university");
  a.step = util::string_field(doc, "step");
  a.expiry_from = util::string_field(doc, "expiry_from");
  a.expiry_to = util::string_field(doc, "expiry_to");
  a.lang = util::string_field(doc, "lang");
  return a;
}

asio::awaitable<boost::system::result<Broadcasts::Page>> Broadcasts::scan_page(const Audience& audience,
                                                                                std::string cursor) {
  auto page = co_await read_state_page(redis_, std::move(cursor));
  if (!page) co_return page.error();
  const auto now = unix_now();
  Page out{page->next_cursor, {}};
  for (const auto& row : page->rows) {
    auto st = dialogs::StudentState::parse(row.state);
    if (!matches(audience, st)) continue;
    out.recipients.push_back({row.openid, st.pinned.value_or(st.last) == dialogs::Lang::zh,
                              row.last_seen > 0 && now - row.last_seen > kWindowSeconds});
  }
  co_return out;
}

asio::awaitable<boost::system::result<AudienceSample>> Broadcasts::preview(Audience audience) {
  AudienceSample out;
  std::string cursor = "0";
  do {
    auto page = co_await scan_page(audience, cursor);
    if (!page) co_return page.error();
    out.size += page->recipients.size();
    for (const auto& r : page->recipients) {
      if (out.sample.size() < 5) out.sample.push_back(r.openid);
      if (r.window_closed) ++out.outside_window;
    }
    cursor = page->next_cursor;
  } while (cursor != "0");
  co_return out;
}

asio::awaitable<boost::system::result<Broadcasts::Created>> Broadcasts::create(BroadcastSpec spec, std::string author) {
  std::vector<std::string> next{"INCR", keys::kBroadcastSeq};
  auto seq = co_await redis_.exec(std::move(next));
  if (!seq) co_return seq.error();
  const std::string id = std::to_string(seq->integer);
  const auto now = unix_now();
  const bool later = spec.send_at > now;
  std::vector<std::string> keys{key(id), kScheduled, kFanning, keys::broadcast_lease(id)};
  std::vector<std::string> args{owner_, std::to_string(kLeaseMs), id, later ? std::to_string(spec.send_at) : "0",
                                "status", later ? "scheduled" : "queueing", "author", author, "created_at",
                                std::to_string(now), "send_at", std::to_string(later ? spec.send_at : now), "audience",
                                audience_json(spec.audience), "text_en", spec.text_en, "text_zh", spec.text_zh,
                                "cursor", "0", "queued", "0", "sent", "0", "skipped", "0", "failed", "0",
                                "cancelled", "0"};
  auto stored = co_await redis_.eval(kCreate, std::move(keys), std::move(args));
  if (!stored) co_return stored.error();
  if (stored->is_error()) co_return redis::Error::unexpected_reply;
  if (later) co_return Created{id, "scheduled", 0};
  const std::string from_the_start = "0";
  auto fanned = co_await fan_out(id, spec.audience, from_the_start);
  if (!fanned) co_return fanned.error();
  co_return Created{id, fanned->done ? "queued" : "queueing", fanned->queued};
}

asio::awaitable<boost::system::result<Broadcasts::FanOut>> Broadcasts::fan_out(const std::string& id,
                                                                               const Audience& audience,
                                                                               std::string cursor) {
  const std::string hash = key(id);
  for (;;) {
    auto page = co_await scan_page(audience, cursor);
    if (!page) co_return page.error();
    std::vector<std::string> keys{hash, keys::broadcast_members(id), kQueue, keys::broadcast_lease(id), kFanning};
    std::vector<std::string> args{owner_, std::to_string(kLeaseMs), id, page->next_cursor};
    args.reserve(4 + 3 * page->recipients.size());
    for (auto& r : page->recipients) {
      args.push_back(std::move(r.openid));
      args.push_back(r.chinese ? "zh" : "en");
      args.push_back(r.window_closed ? "closed" : "");
    }
    auto queued = co_await redis_.eval(kEnqueue, std::move(keys), std::move(args));
    if (!queued) co_return queued.error();
    if (queued->is_error()) co_return redis::Error::unexpected_reply;
    // Another instance took over (this one was too slow to renew), or the
    // broadcast was cancelled: stop here.
    if (queued->integer < 0) co_return FanOut{false, 0};
    if (page->next_cursor == "0") co_return FanOut{true, static_cast<std::size_t>(queued->integer)};
    cursor = page->next_cursor;
  }
}

asio::awaitable<bool> Broadcasts::tick() {
  std::vector<std::string> keys{kScheduled, kFanning};
  std::vector<std::string> args{std::to_string(unix_now()), "10"};
  // Survivable: the next tick releases what is due.
  redis::survivable(co_await redis_.eval(kReleaseDue, std::move(keys), std::move(args)), "due broadcasts' release");
  std::vector<std::string> members{"SMEMBERS", kFanning};
  auto fanning = co_await redis_.exec(std::move(members));
  if (!fanning || !fanning->is_array()) co_return false;
  for (const auto& id : fanning->elements) {
    // Only a fan-out without a live owner: its lease has expired.
    std::vector<std::string> lease{"SET", keys::broadcast_lease(id.str), owner_, "NX", "PX", std::to_string(kLeaseMs)};
    auto taken = co_await redis_.exec(std::move(lease));
    if (!taken || taken->is_nil() || taken->is_error()) continue;
    std::vector<std::string> read{"HMGET", key(id.str), "audience", "cursor"};
    auto row = co_await redis_.exec(std::move(read));
    if (!row || !row->is_array() || row->elements.size() != 2) continue;
    const std::string cursor = row->elements[1].is_string() ? row->elements[1].str : "0";
    const Audience audience = audience_from_json(row->elements[0].str);
    // A missing or cancelled broadcast is taken off the list by the script.
    co_await fan_out(id.str, audience, cursor);
  }
  co_return false;
}

asio::awaitable<boost::system::result<std::map<std::string, std::string>>> Broadcasts::status(std::string id) {
  // The broadcast, its reasons and a page of its dead letters (the count
  // is in "failed"), in one round trip.
  std::vector<std::vector<std::string>> reads{
      {"HGETALL", key(id)}, {"HGETALL", keys::broadcast_reasons(id)}, {"HSCAN", keys::broadcast_failed(id), "0", "COUNT", "100"}};
  auto read = co_await redis::exec_all(redis_, std::move(reads));
  if (!read[0]) co_return read[0].error();
  std::map<std::string, std::string> out;
  redis::add_fields(*read[0], out);
  if (out.empty()) co_return out;
  if (read[1]) redis::add_fields(*read[1], out, "reason:");
  if (const auto& dead = read[2]; dead && dead->is_array() && dead->elements.size() == 2)
    redis::add_fields(dead->elements[1], out, "failed:");
  co_return out;
}

asio::awaitable<boost::system::result<Broadcasts::Cancelled>> Broadcasts::cancel(std::string id, std::string author) {
  std::vector<std::string> exists{"EXISTS", key(id)};
  auto found = co_await redis_.exec(std::move(exists));
  if (!found) co_return found.error();
  if (found->integer == 0) co_return Cancelled::no_such_broadcast;
  // What is still queued is skipped by the sender when it sees the status,
  // and a fan-out under way stops at its next page.
  std::vector<std::string> mark{"HSET", key(id), "status", "cancelled", "cancelled_by", author};
  auto marked = co_await redis_.exec(std::move(mark));
  if (!marked) co_return marked.error();
  std::vector<std::string> unschedule{"ZREM", kScheduled, id};
  // Survivable: a cancelled broadcast released at its time finds its status
  // and queues no one.
  redis::survivable(co_await redis_.exec(std::move(unschedule)), "unscheduling cancelled broadcast " + id);
  co_return Cancelled::cancelled;
}

}  // namespace permit::core
