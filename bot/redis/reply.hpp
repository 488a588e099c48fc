#pragma once

// Internal to the Redis client: what it needs from hiredis besides I/O.

#include "bot/redis/redis_value.hpp"

#include <optional>
#include <string>

struct redisReply;

namespace permit::redis {

// Copies a hiredis reply into a Value.
Value convert(const redisReply* reply);

// Whether a TCP socket joined itself (simultaneous open on a local port
// while the server is down).
bool connected_to_itself(int fd);

// A subscriber connection's push: the message's payload, "" for the
// subscription's confirmation, nothing for anything else.
inline std::optional<std::string> pushed_message(Value v) {
  if (!v.is_array() || v.elements.size() < 3) return std::nullopt;
  if (v.elements[0].str == "message") return std::move(v.elements[2].str);
  if (v.elements[0].str == "subscribe") return std::string();
  return std::nullopt;
}

}  // namespace permit::redis
