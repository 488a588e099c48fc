#pragma once

#include "bot/redis/redis_client.hpp"
#include "config/config.hpp"

namespace permit::redis {

// Client options for a configured endpoint (address, credentials, database);
// timeouts stay at their defaults unless the caller sets them.
inline Options options_for(const config::RedisEndpoint& endpoint) {
  Options options;
  options.host = endpoint.host;
  options.port = endpoint.port;
  options.user = endpoint.user;
  options.password = endpoint.password;
  options.db = endpoint.db;
  for (const auto& s : endpoint.sentinels) options.sentinel.sentinels.push_back({s.host, s.port});
  options.sentinel.master_name = endpoint.master_name;
  options.sentinel.password = endpoint.sentinel_password;
  return options;
}

}  // namespace permit::redis
