#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::redis {

// A Redis reply, copied out of hiredis so callers never see its types.
struct Value {
  enum class Type { nil, integer, string, status, error, array };

  Type type = Type::nil;
  std::int64_t integer = 0;
  std::string str;  // string, status and error replies
  std::vector<Value> elements;

  bool is_nil() const { return type == Type::nil; }
  bool is_error() const { return type == Type::error; }
  bool is_string() const { return type == Type::string || type == Type::status; }
  bool is_array() const { return type == Type::array; }
};

// A decimal integer, the whole text; nothing otherwise.
inline std::optional<std::int64_t> to_int(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// An integer reply, or a string reply that holds one; nothing otherwise.
inline std::optional<std::int64_t> to_int(const Value& v) {
  if (v.type == Value::Type::integer) return v.integer;
  return v.is_string() ? to_int(v.str) : std::nullopt;
}

}  // namespace permit::redis
