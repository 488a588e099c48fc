#pragma once

// Internal to the Redis client: what it needs from hiredis besides I/O.

#include "bot/redis/redis_value.hpp"

struct redisReply;

namespace permit::redis {

// Copies a hiredis reply into a Value.
Value convert(const redisReply* reply);

// Whether a TCP socket joined itself (simultaneous open on a local port
// while the server is down).
bool connected_to_itself(int fd);

}  // namespace permit::redis
