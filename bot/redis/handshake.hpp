#pragma once

// What the client sends first on every new connection, and how it reads
// the answers (redis_client.cpp runs them; commands wait until they pass).

#include "bot/redis/redis_client.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace permit::redis {

// AUTH (with the ACL user if set) and SELECT when configured; ROLE under
// Sentinel, so that a node that is no longer the primary is refused; PING.
std::vector<std::vector<std::string>> handshake_steps(const Options& options);

// Why a handshake answer refuses the connection, or "" when it passes:
// an error reply, or (`role_check`) a ROLE that is not "master".
std::string handshake_refusal(const Value& answer, bool role_check, std::string_view node);

}  // namespace permit::redis
