#include "dialogs/student_state.hpp"

#include "json/parse.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::dialogs {
namespace {

std::string string_member(const rapidjson::Value& v, const char* name) {
  return v.HasMember(name) && v[name].IsString() ? std::string(v[name].GetString(), v[name].GetStringLength()) : "";
}

std::vector<std::string> strings_member(const rapidjson::Value& v, const char* name) {
  std::vector<std::string> out;
  if (!v.HasMember(name) || !v[name].IsArray()) return out;
  for (const auto& s : v[name].GetArray())
    if (s.IsString()) out.emplace_back(s.GetString(), s.GetStringLength());
  return out;
}

std::optional<Lang> lang_from(const std::string& s) {
  if (s == "en") return Lang::en;
  if (s == "zh") return Lang::zh;
  return std::nullopt;
}

}  // namespace

std::optional<StudentState> StudentState::read(std::string_view json) {
  StudentState s;
  if (json.empty()) return s;
  // Read on every message: the parsed values go in a pool on the stack (a
  // Document's default pool mallocs a 64 KB chunk per parse), which grows
  // onto the heap only for a large state.
  char pool[4096];
  rapidjson::MemoryPoolAllocator<> allocator(pool, sizeof pool);
  rapidjson::Document doc(&allocator);
  // The state comes from Redis, but is read as untrusted: a bounded size,
  // and a bounded parse that deep nesting cannot overflow.
  if (json.size() > kMaxBytes || !permit::json::parse(doc, json) || !doc.IsObject()) return std::nullopt;
  s.university = string_member(doc, "u");
  s.pinned = lang_from(string_member(doc, "pin"));
  s.last = lang_from(string_member(doc, "lang")).value_or(Lang::en);
  s.node = string_member(doc, "node");
  s.path = strings_member(doc, "path");
  if (doc.HasMember("answers") && doc["answers"].IsObject())
    for (const auto& m : doc["answers"].GetObject())
      if (m.value.IsString()) s.answers.emplace(m.name.GetString(), m.value.GetString());
  if (doc.HasMember("ticked") && doc["ticked"].IsObject())
    for (const auto& m : doc["ticked"].GetObject()) {
      if (!m.value.IsArray()) continue;
      auto& items = s.ticked[m.name.GetString()];
      for (const auto& i : m.value.GetArray())
        if (i.IsInt()) items.push_back(i.GetInt());
    }
  if (doc.HasMember("dates") && doc["dates"].IsObject())
    for (const auto& m : doc["dates"].GetObject())
      if (m.value.IsString()) s.dates.emplace(m.name.GetString(), m.value.GetString());
  // Written before dates had kinds: the one date was the expiry.
  if (auto expiry = string_member(doc, "expiry"); !expiry.empty()) s.dates.emplace("expiry", std::move(expiry));
  if (doc.HasMember("ctx") && doc["ctx"].IsObject()) {
    const auto& c = doc["ctx"];
    s.context.thing = string_member(c, "t");
    s.context.thing_before = string_member(c, "tb");
    s.context.faq = string_member(c, "f");
    s.context.attribute = string_member(c, "a");
    s.context.asked = string_member(c, "q");
    s.context.before = string_member(c, "b");
    s.context.awaiting = string_member(c, "w");
    s.context.pending_date = string_member(c, "d");
    s.context.length = string_member(c, "len");
    s.context.here = string_member(c, "here");
    s.context.others = string_member(c, "o");
    s.context.others_at = string_member(c, "oa");
    s.context.overstay = string_member(c, "od");
    s.context.statement = string_member(c, "s");
    if (c.HasMember("at") && c["at"].IsInt64()) s.context.at = c["at"].GetInt64();
    s.context.unresolved = c.HasMember("lost") && c["lost"].IsBool() && c["lost"].GetBool();
  }
  s.confirming_delete = doc.HasMember("confirm") && doc["confirm"].IsString() && doc["confirm"] == "delete";
  s.choices = strings_member(doc, "choices");
  s.deferred_question = string_member(doc, "question");
  s.subscribed = !(doc.HasMember("subscribed") && doc["subscribed"].IsBool() && !doc["subscribed"].GetBool());
  if (doc.HasMember("messages") && doc["messages"].IsInt64()) s.messages = doc["messages"].GetInt64();
  if (doc.HasMember("rel") && doc["rel"].IsInt64() && doc["rel"].GetInt64() > 0) s.release = doc["rel"].GetInt64();
  return s;
}

std::string StudentState::serialise() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto strings = [&](const char* key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    w.Key(key);
    w.StartArray();
    for (const auto& v : values) w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
    w.EndArray();
  };
  auto string = [&](const char* key, const std::string& value) {
    if (value.empty()) return;
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  string("u", university);
  if (pinned) string("pin", lang_code(*pinned));
  string("lang", lang_code(last));
  string("node", node);
  strings("path", path);
  if (!answers.empty()) {
    w.Key("answers");
    w.StartObject();
    for (const auto& [k, v] : answers) {
      w.Key(k.c_str());
      w.String(v.c_str());
    }
    w.EndObject();
  }
  if (!ticked.empty()) {
    w.Key("ticked");
    w.StartObject();
    for (const auto& [node_id, items] : ticked) {
      if (items.empty()) continue;
      w.Key(node_id.c_str());
      w.StartArray();
      for (int i : items) w.Int(i);
      w.EndArray();
    }
    w.EndObject();
  }
  if (!dates.empty()) {
    w.Key("dates");
    w.StartObject();
    for (const auto& [k, v] : dates) {
      w.Key(k.c_str());
      w.String(v.c_str());
    }
    w.EndObject();
  }
  if (confirming_delete) string("confirm", "delete");
  strings("choices", choices);
  string("question", deferred_question);
  if (!subscribed) {
    w.Key("subscribed");
    w.Bool(false);
  }
  w.Key("messages");
  w.Int64(messages);
  if (release > 0) {
    w.Key("rel");
    w.Int64(release);
  }
  if (!context.thing.empty() || !context.thing_before.empty() || !context.faq.empty() || !context.awaiting.empty() || !context.pending_date.empty() ||
      !context.attribute.empty() || !context.asked.empty() || !context.before.empty() || !context.length.empty() ||
      !context.here.empty() || !context.others.empty() || !context.others_at.empty() || !context.statement.empty() || !context.overstay.empty() ||
      context.unresolved) {
    w.Key("ctx");
    w.StartObject();
    string("t", context.thing);
    string("tb", context.thing_before);
    string("f", context.faq);
    string("a", context.attribute);
    string("q", context.asked);
    string("b", context.before);
    string("w", context.awaiting);
    string("d", context.pending_date);
    string("len", context.length);
    string("here", context.here);
    string("o", context.others);
    string("oa", context.others_at);
    string("od", context.overstay);
    string("s", context.statement);
    if (context.unresolved) {
      w.Key("lost");
      w.Bool(true);
    }
    w.Key("at");
    w.Int64(context.at);
    w.EndObject();
  }
  w.EndObject();
  return buffer.GetString();
}

}  // namespace permit::dialogs
