#include "bot/inbound/effect_outbox.hpp"

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/late_reply_queue.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "bot/util/log.hpp"
#include "dialogs/dates.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::core {
namespace {

const char* kind_name(dialogs::Effect::Kind kind) {
  switch (kind) {
    case dialogs::Effect::Kind::record_unanswered: return "unanswered";
    case dialogs::Effect::Kind::set_deadline: return "deadline";
    case dialogs::Effect::Kind::forget_student: return "forget";
    case dialogs::Effect::Kind::stop_reminders: return "stop_reminders";
  }
  return "";
}

// Days since 1970-01-01 of an ISO date, or -1.
std::int64_t epoch_day(const std::string& iso_date) {
  const auto date = dialogs::parse_iso(iso_date);
  return date ? std::chrono::sys_days(*date).time_since_epoch().count() : -1;
}

// KEYS: due set, reminder texts, the student's reminder index, students.
// ARGV[1] openid, ARGV[2] the student's record ("" drops it, "-" keeps it),
// then (member, score, text) per new reminder. Old reminders go first.
const redis::LuaScript kSchedule(R"lua(
for _, m in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
redis.call('DEL', KEYS[3])
if ARGV[2] == '' then redis.call('HDEL', KEYS[4], ARGV[1])
elseif ARGV[2] ~= '-' then redis.call('HSET', KEYS[4], ARGV[1], ARGV[2]) end
for i = 3, #ARGV, 3 do
  redis.call('ZADD', KEYS[1], ARGV[i + 1], ARGV[i])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  redis.call('SADD', KEYS[3], ARGV[i])
end
return (#ARGV - 2) / 3
)lua");

// KEYS: the marker that the entry was applied, the unanswered stream.
// ARGV[1] how long the marker lasts (s), then the stream entry's fields.
// Adds the entry once: a drain that applied it but could not remove it
// from the outbox applies it again later.
const redis::LuaScript kRecordOnce(R"lua(
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', '100000', '*', unpack(ARGV, 2))
return 1
)lua");

// Markers of applied entries outlive any redrain (the next message, or a
// sweep 40 s on).
constexpr int kAppliedMarkerSeconds = 30 * 24 * 3600;

// KEYS: the outbox lock, the outbox. ARGV: the holder, how many entries it
// applied. Only while the lock is still the holder's: removes the entries
// it applied and unlocks (a holder that lost the lock to a second drainer
// must not trim entries only the second one read). Returns how many
// entries wait.
const redis::LuaScript kTrimAndUnlock(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  if tonumber(ARGV[2]) > 0 then redis.call('LTRIM', KEYS[2], ARGV[2], -1) end
  redis.call('DEL', KEYS[1])
end
return redis.call('LLEN', KEYS[2])
)lua");

}  // namespace

std::string EffectOutbox::reminder_member(const std::string& on, const std::string& reminder, const std::string& openid) {
  return on + "|" + (reminder.empty() ? "" : reminder + "|") + openid;
}

std::vector<std::string> EffectOutbox::serialise(const std::vector<dialogs::Effect>& effects,
                                                 std::string_view source) {
  std::vector<std::string> out;
  for (const auto& e : effects) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    if (!source.empty()) {
      const std::string id = std::string(source) + "#" + std::to_string(out.size());
      w.Key("id");
      w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
    }
    for (auto [name, value] : {std::pair<const char*, const std::string*>{"university", &e.university},
                               {"lang", &e.lang}, {"text", &e.text}, {"date", &e.date}, {"deadline", &e.deadline}}) {
      w.Key(name);
      w.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
    }
    w.Key("kind");
    w.String(kind_name(e.kind));
    if (!e.reminders.empty()) {
      w.Key("reminders");
      w.StartArray();
      for (const auto& r : e.reminders) {
        w.StartObject();
        w.Key("on");
        w.String(r.on.c_str());
        w.Key("reminder");
        w.String(r.id.c_str(), static_cast<rapidjson::SizeType>(r.id.size()));
        w.Key("text");
        w.String(r.text.c_str(), static_cast<rapidjson::SizeType>(r.text.size()));
        w.EndObject();
      }
      w.EndArray();
    }
    w.EndObject();
    out.emplace_back(buffer.GetString());
  }
  return out;
}

boost::asio::awaitable<boost::system::result<void>> EffectOutbox::apply(const std::string& openid,
                                                                       const std::string& entry,
                                                                       std::int64_t now_seconds) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(entry.data(), entry.size());
  const std::string kind = doc.HasParseError() || !doc.IsObject() ? std::string() : util::string_field(doc, "kind");
  if (kind == "late_reply") {
    auto command = LateReplyQueue::append_command(
        {openid, util::string_field(doc, "dedupe"), util::string_field(doc, "text")});
    auto r = co_await redis_.exec(std::move(command));
    co_return redis::succeeded(r);
  }
  if (kind == "unanswered") {
    // Once per entry: by its id, or by its text for an entry without one.
    // Hashed: the marker outlives a "delete my data", and names no one.
    const std::string id = util::string_field(doc, "id");
    std::vector<std::string> keys{
        keys::unanswered_applied(util::sha1_hex(openid + "\n" + (id.empty() ? entry : id))),
        kUnanswered};
    std::vector<std::string> args{std::to_string(kAppliedMarkerSeconds),
                                  "university", util::string_field(doc, "university"),
                                  "lang", util::string_field(doc, "lang"),
                                  "text", util::string_field(doc, "text"),
                                  "at", std::to_string(now_seconds)};
    auto r = co_await redis_.eval(kRecordOnce, std::move(keys), std::move(args));
    co_return redis::succeeded(r);
  }
  if (kind == "deadline" || kind == "forget" || kind == "stop_reminders") {
    // One script replaces the student's reminders (none for forget/stop),
    // and keeps or drops their record.
    std::vector<std::string> keys{kDue, kReminderTexts, keys::reminders_of(openid), kReminderStudents};
    std::vector<std::string> args{openid, kind == "deadline" ? entry : kind == "forget" ? "" : "-"};
    if (kind == "deadline" && doc.HasMember("reminders") && doc["reminders"].IsArray()) {
      for (const auto& r : doc["reminders"].GetArray()) {
        const std::int64_t day = epoch_day(util::string_field(r, "on"));
        if (day < 0) continue;
        // The member names the reminder itself (its date kind and days
        // before), not only its day: a corrected date's reminder that falls
        // on the day of one already sent is another reminder.
        args.push_back(reminder_member(util::string_field(r, "on"), util::string_field(r, "reminder"), openid));
        args.push_back(std::to_string(day * 86400));  // 00:00 UTC, 08:00 in China
        args.push_back(util::string_field(r, "text"));
      }
    }
    auto r = co_await redis_.eval(kSchedule, std::move(keys), std::move(args));
    co_return redis::succeeded(r);
  }
  // Only the commit writes entries, so this is a bug or a hand edit: no
  // later drain could apply it either. It is dropped, but not silently.
  metrics_.count_effect_unreadable();
  util::log("error", "dropped an effect of " + openid + " that cannot be applied: " + entry.substr(0, 200));
  co_return boost::system::result<void>{};
}

boost::asio::awaitable<boost::system::result<void>> EffectOutbox::drain(std::string openid, std::int64_t now_seconds) {
  // One drainer per student at a time, across instances: a second one
  // could re-apply a stale "deadline" after a "forget", or trim entries it
  // never applied. Whoever holds the lock drains; the others leave it. An
  // entry appended while the lock was held is there before the holder
  // unlocks, and unlocking reports it: the holder then drains again.
  const std::string lock_key = keys::outbox_lock(openid);
  const std::string holder = std::to_string(now_seconds) + ":" + std::to_string(reinterpret_cast<std::uintptr_t>(&openid));
  constexpr int kRounds = 8;  // entries keep coming: the next drain takes the rest
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::string> lock{"SET", lock_key, holder, "NX", "PX", "10000"};
    auto locked = co_await redis_.exec(std::move(lock));
    if (!locked) co_return locked.error();
    if (locked->is_nil()) co_return boost::system::result<void>{};

    std::size_t applied = 0;
    boost::system::error_code failure = co_await apply_all(openid, now_seconds, applied);
    std::vector<std::string> keys{lock_key, outbox_key(openid)};
    std::vector<std::string> args{holder, std::to_string(applied)};
    auto left = co_await redis_.eval(kTrimAndUnlock, std::move(keys), std::move(args));
    if (failure) co_return failure;
    if (!left) co_return left.error();
    if (redis::to_int(*left).value_or(0) == 0) break;
  }
  co_return boost::system::result<void>{};
}

boost::asio::awaitable<boost::system::error_code> EffectOutbox::apply_all(const std::string& openid,
                                                                         std::int64_t now_seconds,
                                                                         std::size_t& applied) {
  std::vector<std::string> read{"LRANGE", outbox_key(openid), "0", "-1"};
  auto entries = co_await redis_.exec(std::move(read));
  if (!entries) co_return entries.error();
  if (!entries->is_array()) co_return redis::Error::unexpected_reply;
  for (const auto& e : entries->elements) {
    auto r = co_await apply(openid, e.str, now_seconds);
    if (!r) co_return r.error();
    ++applied;
  }
  co_return boost::system::error_code{};
}

}  // namespace permit::core
