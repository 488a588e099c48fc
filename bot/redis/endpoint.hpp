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
  return options;
}

}  // namespace permit::redis
