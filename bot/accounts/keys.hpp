#pragma once

// The Redis keys of console accounts and sessions: the one place they are
// named (documented in the README's "Console" section). All share the
// {accounts} hash tag, so one Lua script may touch several of them on a
// Redis Cluster.
//
//   {accounts}:names              set of every account name
//   {accounts}:user:NAME          hash: role, hash (scrypt), disabled ("1"),
//                                 created_at, created_by, changed_at
//   {accounts}:sessions:NAME      set of the ids of NAME's open sessions
//   {accounts}:session:ID         hash: name, role, csrf, created_at; expires
//                                 after 30 idle minutes (renewed on use, never
//                                 past created_at + 12 h). ID is the SHA-256
//                                 of the cookie's token: Redis never holds a
//                                 usable token.
//   {accounts}:fail:name:NAME     failed sign-ins for NAME (15 min)
//   {accounts}:fail:addr:ADDRESS  failed sign-ins from ADDRESS (15 min)

#include <string>
#include <string_view>

namespace permit::accounts::keys {

inline constexpr std::string_view kNames = "{accounts}:names";

inline std::string user(std::string_view name) { return "{accounts}:user:" + std::string(name); }
inline std::string sessions_of(std::string_view name) { return "{accounts}:sessions:" + std::string(name); }
inline std::string session(std::string_view id) { return "{accounts}:session:" + std::string(id); }
inline std::string failures_of_name(std::string_view name) { return "{accounts}:fail:name:" + std::string(name); }
inline std::string failures_of_address(std::string_view address) {
  return "{accounts}:fail:addr:" + std::string(address);
}

}  // namespace permit::accounts::keys
