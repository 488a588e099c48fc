#include "bot/core/broadcasts.hpp"

#include "bot/redis/lua_script.hpp"
#include "bot/util/json.hpp"
#include "dialogs/student_state.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>

namespace permit::core {
namespace asio = boost::asio;

namespace {

// KEYS[1] scheduled set. ARGV: now, batch. Takes the due ids out, so one
// instance fans each out.
const redis::LuaScript kClaimDue(R"lua(
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do redis.call('ZREM', KEYS[1], id) end
return due
)lua");

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool matches(const Audience& a, const dialogs::StudentState& st) {
  if (!st.subscribed) return false;  // the platform would refuse them (43004)
  if (a.all) return true;
  if (!a.university.empty() && st.university != a.university) return false;
  if (!a.step.empty() && st.node != a.step) return false;
  if (!a.expiry_from.empty() && (st.expiry.empty() || st.expiry < a.expiry_from)) return false;
  if (!a.expiry_to.empty() && (st.expiry.empty() || st.expiry > a.expiry_to)) return false;
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

asio::awaitable<boost::system::result<std::vector<Broadcasts::Recipient>>> Broadcasts::select(const Audience& audience,
                                                                                               std::size_t limit) {
  std::vector<Recipient> out;
  std::string cursor = "0";
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", "{u:*}:conv", "COUNT", "1000"};
    auto page = co_await redis_.exec(std::move(scan));
    if (!page) co_return page.error();
    if (!page->is_array() || page->elements.size() != 2) co_return redis::Error::unexpected_reply;
    cursor = page->elements[0].str;
    for (const auto& key : page->elements[1].elements) {
      std::vector<std::string> get{"HGET", key.str, "s"};
      auto state = co_await redis_.exec(std::move(get));
      if (!state) co_return state.error();
      if (!state->is_string()) continue;
      auto st = dialogs::StudentState::parse(state->str);
      if (!matches(audience, st)) continue;
      // "{u:OPENID}:conv" -> OPENID
      const std::string& k = key.str;
      out.push_back({k.substr(3, k.size() - 3 - 6), st.pinned.value_or(st.last) == dialogs::Lang::zh});
      if (out.size() >= limit) co_return out;
    }
  } while (cursor != "0");
  co_return out;
}

asio::awaitable<boost::system::result<AudienceSample>> Broadcasts::preview(Audience audience) {
  auto recipients = co_await select(audience, SIZE_MAX);
  if (!recipients) co_return recipients.error();
  AudienceSample out{recipients->size(), {}};
  for (std::size_t i = 0; i < recipients->size() && i < 5; ++i) out.sample.push_back((*recipients)[i].openid);
  co_return out;
}

asio::awaitable<boost::system::result<Broadcasts::Created>> Broadcasts::create(BroadcastSpec spec, std::string author) {
  std::vector<std::string> next{"INCR", "{broadcast}:seq"};
  auto seq = co_await redis_.exec(std::move(next));
  if (!seq) co_return seq.error();
  const std::string id = std::to_string(seq->integer);
  const auto now = unix_now();
  const bool later = spec.send_at > now;
  std::vector<std::string> store{"HSET", key(id), "status", later ? "scheduled" : "queueing", "author", author,
                                 "created_at", std::to_string(now), "send_at", std::to_string(later ? spec.send_at : now),
                                 "audience", audience_json(spec.audience), "text_en", spec.text_en, "text_zh",
                                 spec.text_zh, "queued", "0", "sent", "0", "skipped", "0", "failed", "0",
                                 "cancelled", "0"};
  auto stored = co_await redis_.exec(std::move(store));
  if (!stored) co_return stored.error();
  if (later) {
    std::vector<std::string> schedule{"ZADD", kScheduled, std::to_string(spec.send_at), id};
    auto scheduled = co_await redis_.exec(std::move(schedule));
    if (!scheduled) co_return scheduled.error();
    co_return Created{id, "scheduled", 0};
  }
  auto queued = co_await fan_out(id, spec.audience, spec.text_en, spec.text_zh);
  if (!queued) co_return queued.error();
  co_return Created{id, "queued", *queued};
}

asio::awaitable<boost::system::result<std::size_t>> Broadcasts::fan_out(const std::string& id, const Audience& audience,
                                                                       const std::string& text_en,
                                                                       const std::string& text_zh) {
  auto recipients = co_await select(audience, SIZE_MAX);
  if (!recipients) co_return recipients.error();
  for (const auto& r : *recipients) {
    std::vector<std::string> add{"XADD", kQueue, "*", "openid", r.openid, "dedupe", "b:" + id + ":" + r.openid,
                                 "content", r.chinese ? text_zh : text_en, "broadcast", id};
    auto added = co_await redis_.exec(std::move(add));
    if (!added) co_return added.error();
  }
  const std::string size = std::to_string(recipients->size());
  std::vector<std::string> done{"HSET", key(id), "queued", size, "audience_size", size, "status", "queued"};
  auto marked = co_await redis_.exec(std::move(done));
  if (!marked) co_return marked.error();
  co_return recipients->size();
}

asio::awaitable<boost::system::result<std::map<std::string, std::string>>> Broadcasts::status(std::string id) {
  std::vector<std::string> all{"HGETALL", key(id)};
  auto fields = co_await redis_.exec(std::move(all));
  if (!fields) co_return fields.error();
  // HGETALL's flat [field, value, ...] into `out`, each name prefixed.
  auto read_hash = [](const redis::Value& flat, const std::string& prefix, std::map<std::string, std::string>& out) {
    if (!flat.is_array()) return;
    for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2)
      out[prefix + flat.elements[i].str] = flat.elements[i + 1].str;
  };
  std::map<std::string, std::string> out;
  read_hash(*fields, "", out);
  if (out.empty()) co_return out;
  std::vector<std::string> why{"HGETALL", key(id) + ":reasons"};
  auto reasons = co_await redis_.exec(std::move(why));
  if (reasons) read_hash(*reasons, "reason:", out);
  co_return out;
}

asio::awaitable<boost::system::result<Broadcasts::Cancelled>> Broadcasts::cancel(std::string id, std::string author) {
  std::vector<std::string> exists{"EXISTS", key(id)};
  auto found = co_await redis_.exec(std::move(exists));
  if (!found) co_return found.error();
  if (found->integer == 0) co_return Cancelled::no_such_broadcast;
  // What is still queued is skipped by the sender when it sees the status.
  std::vector<std::string> mark{"HSET", key(id), "status", "cancelled", "cancelled_by", author};
  auto marked = co_await redis_.exec(std::move(mark));
  if (!marked) co_return marked.error();
  std::vector<std::string> unschedule{"ZREM", kScheduled, id};
  co_await redis_.exec(std::move(unschedule));
  co_return Cancelled::cancelled;
}

asio::awaitable<void> Broadcasts::release_due(std::int64_t now) {
  std::vector<std::string> keys{kScheduled};
  std::vector<std::string> args{std::to_string(now), "10"};
  auto due = co_await redis_.eval(kClaimDue, std::move(keys), std::move(args));
  if (!due || !due->is_array()) co_return;
  for (const auto& id : due->elements) {
    std::vector<std::string> read{"HMGET", key(id.str), "audience", "text_en", "text_zh", "status"};
    auto fields = co_await redis_.exec(std::move(read));
    if (!fields || !fields->is_array() || fields->elements.size() != 4) continue;
    if (fields->elements[3].str == "cancelled") continue;
    const auto& f = fields->elements;
    co_await fan_out(id.str, audience_from_json(f[0].str), f[1].str, f[2].str);
  }
}

}  // namespace permit::core
