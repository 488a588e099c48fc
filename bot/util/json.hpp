#pragma once

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

namespace permit::util {

// What every JSON text we send or store is written with: RapidJSON escapes,
// so no caller assembles quotes and commas by hand.
using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// The one JSON value `write` puts out, as text.
template <class Write>
std::string write_json(Write&& write) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  write(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// A string member of a JSON object, or "" when absent or not a string.
inline std::string string_field(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return {};
  auto it = object.FindMember(name);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// The text as a JSON string literal, quotes and escapes included.
inline std::string json_quote(std::string_view text) {
  return write_json([&](JsonWriter& w) { w.String(text.data(), static_cast<rapidjson::SizeType>(text.size())); });
}

// The value written out as compact JSON.
inline std::string to_json(const rapidjson::Value& value) {
  return write_json([&](JsonWriter& w) { value.Accept(w); });
}

}  // namespace permit::util
