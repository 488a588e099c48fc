#pragma once

#include <cstdint>
#include <string>
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

}  // namespace permit::redis
