#include "bot/staff/broadcast_request.hpp"

#include "dialogs/dates.hpp"

#include <optional>

namespace permit::core {
namespace {

using util::FieldError;

// A text in one language is one WeChat message.
constexpr rapidjson::SizeType kMaxTextBytes = 2000;

std::optional<FieldError> audience_error(const rapidjson::Value& audience, const UniversityCheck& known_university,
                                         Audience& out) {
  for (const auto& m : audience.GetObject()) {
    const std::string name = m.name.GetString();
    const std::string at = "/audience/" + name;
    if (name == "all") {
      if (!m.value.IsBool()) return FieldError{at, "must be true or false"};
      out.all = m.value.GetBool();
      continue;
    }
    if (!m.value.IsString() || m.value.GetStringLength() == 0) return FieldError{at, "must be a non-empty string"};
    const std::string value = m.value.GetString();
    if (name == "university") {
      if (!known_university(value)) return FieldError{at, "no such university"};
      out.university = value;
    } else if (name == "step") {
      out.step = value;
    } else if (name == "expiry_from" || name == "expiry_to") {
      if (!dialogs::parse_iso(value)) return FieldError{at, "must be a date like 2027-03-01"};
      (name == "expiry_from" ? out.expiry_from : out.expiry_to) = value;
    } else if (name == "lang") {
      if (value != "en" && value != "zh") return FieldError{at, "must be en or zh"};
      out.lang = value;
    } else {
      return FieldError{at, "unknown filter"};
    }
  }
  if (!out.all && out.university.empty() && out.step.empty() && out.expiry_from.empty() && out.expiry_to.empty() &&
      out.lang.empty())
    return FieldError{"/audience", "give a filter, or \"all\": true"};
  // ISO dates compare as text.
  if (!out.expiry_from.empty() && !out.expiry_to.empty() && out.expiry_from > out.expiry_to)
    return FieldError{"/audience/expiry_from", "expiry_from is after expiry_to"};
  return std::nullopt;
}

std::optional<FieldError> message_error(const rapidjson::Value& body, BroadcastSpec& out) {
  auto text = body.FindMember("text");
  if (text == body.MemberEnd() || !text->value.IsObject())
    return FieldError{"/text", "a text object with en and zh is required"};
  for (const char* lang : {"en", "zh"}) {
    const std::string at = std::string("/text/") + lang;
    auto t = text->value.FindMember(lang);
    if (t == text->value.MemberEnd() || !t->value.IsString() || t->value.GetStringLength() == 0)
      return FieldError{at, "the text is required in both languages"};
    if (t->value.GetStringLength() > kMaxTextBytes) return FieldError{at, "at most 2000 bytes"};
    (std::string(lang) == "en" ? out.text_en : out.text_zh) = t->value.GetString();
  }
  if (auto send_at = body.FindMember("send_at"); send_at != body.MemberEnd()) {
    if (!send_at->value.IsInt64() || send_at->value.GetInt64() < 0)
      return FieldError{"/send_at", "must be a unix time in seconds"};
    out.send_at = send_at->value.GetInt64();
  }
  return std::nullopt;
}

}  // namespace

boost::system::result<BroadcastSpec, FieldError> read_broadcast_request(const rapidjson::Value& body, bool dry_run,
                                                                       const UniversityCheck& known_university) {
  if (!body.IsObject()) return FieldError{"/", "the body must be a JSON object"};
  auto audience = body.FindMember("audience");
  if (audience == body.MemberEnd() || !audience->value.IsObject())
    return FieldError{"/audience", "an audience object is required"};
  BroadcastSpec spec;
  if (auto error = audience_error(audience->value, known_university, spec.audience)) return std::move(*error);
  if (dry_run) return spec;
  if (auto error = message_error(body, spec)) return std::move(*error);
  return spec;
}

}  // namespace permit::core
