#include "bot/core/effect_outbox.hpp"

#include "bot/core/conversation_store.hpp"
#include "bot/redis/lua_script.hpp"
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
  }
  return "";
}

std::string member(const rapidjson::Value& v, const char* name) {
  return v.HasMember(name) && v[name].IsString() ? v[name].GetString() : "";
}

// Days since 1970-01-01 of an ISO date, or -1.
std::int64_t epoch_day(const std::string& iso_date) {
  auto found = dialogs::find_date(iso_date);
  if (found.status != dialogs::DateFound::Status::found) return -1;
  return std::chrono::sys_days(found.date).time_since_epoch().count();
}

}  // namespace

std::vector<std::string> EffectOutbox::serialise(const std::vector<dialogs::Effect>& effects) {
  std::vector<std::string> out;
  for (const auto& e : effects) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    w.StartObject();
    for (auto [name, value] : {std::pair<const char*, const std::string*>{"university", &e.university},
                               {"lang", &e.lang}, {"text", &e.text}, {"date", &e.date}, {"deadline", &e.deadline}}) {
      w.Key(name);
      w.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
    }
    w.Key("kind");
    w.String(kind_name(e.kind));
    w.EndObject();
    out.emplace_back(buffer.GetString());
  }
  return out;
}

boost::asio::awaitable<boost::system::result<void>> EffectOutbox::apply(const std::string& openid,
                                                                       const std::string& entry,
                                                                       std::int64_t now_seconds) {
  rapidjson::Document doc;
  if (doc.Parse(entry.c_str()).HasParseError() || !doc.IsObject()) co_return boost::system::result<void>{};
  const std::string kind = member(doc, "kind");
  std::vector<std::vector<std::string>> commands;
  if (kind == "unanswered") {
    commands.push_back({"XADD", kUnanswered, "MAXLEN", "~", "100000", "*", "university", member(doc, "university"),
                        "lang", member(doc, "lang"), "text", member(doc, "text"), "at", std::to_string(now_seconds)});
  } else if (kind == "deadline") {
    // Remind by the deadline when the university sets one, else by the expiry.
    const std::string by = member(doc, "deadline").empty() ? member(doc, "date") : member(doc, "deadline");
    commands.push_back({"HSET", kStudents, openid, entry});
    commands.push_back({"ZADD", kDue, std::to_string(epoch_day(by)), openid});
  } else if (kind == "forget") {
    commands.push_back({"HDEL", kStudents, openid});
    commands.push_back({"ZREM", kDue, openid});
  }
  for (auto& command : commands) {
    auto r = co_await redis_.exec(std::move(command));
    if (!r) co_return r.error();
    if (r->is_error()) co_return redis::Error::unexpected_reply;
  }
  co_return boost::system::result<void>{};
}

boost::asio::awaitable<boost::system::result<void>> EffectOutbox::drain(std::string openid, std::int64_t now_seconds) {
  // One drainer per student at a time, across instances: a second one
  // could re-apply a stale "deadline" after a "forget", or trim entries it
  // never applied. Whoever holds the lock drains; the others leave it.
  const std::string lock_key = "{u:" + openid + "}:outbox-lock";
  const std::string holder = std::to_string(now_seconds) + ":" + std::to_string(reinterpret_cast<std::uintptr_t>(&openid));
  std::vector<std::string> lock{"SET", lock_key, holder, "NX", "PX", "10000"};
  auto locked = co_await redis_.exec(std::move(lock));
  if (!locked) co_return locked.error();
  if (locked->is_nil()) co_return boost::system::result<void>{};

  std::vector<std::string> read{"LRANGE", outbox_key(openid), "0", "-1"};
  auto entries = co_await redis_.exec(std::move(read));
  std::size_t applied = 0;
  boost::system::error_code failure;
  if (!entries) {
    failure = entries.error();
  } else if (!entries->is_array()) {
    failure = redis::Error::unexpected_reply;
  } else {
    for (const auto& e : entries->elements) {
      auto r = co_await apply(openid, e.str, now_seconds);
      if (!r) {
        failure = r.error();
        break;
      }
      ++applied;
    }
  }
  if (applied > 0) {
    // Entries appended meanwhile stay for the next drain.
    std::vector<std::string> trim{"LTRIM", outbox_key(openid), std::to_string(applied), "-1"};
    auto r = co_await redis_.exec(std::move(trim));
    if (!r && !failure) failure = r.error();
  }
  std::vector<std::string> keys{lock_key};
  std::vector<std::string> args{holder};
  co_await redis_.eval(redis::delete_if_equal(), std::move(keys), std::move(args));
  if (failure) co_return failure;
  co_return boost::system::result<void>{};
}

}  // namespace permit::core
