#pragma once

#include "bot/util/digest.hpp"

#include <string>
#include <utility>

namespace permit::redis {

// A Lua script sent by EVALSHA; its SHA-1 is computed once, up front.
class LuaScript {
 public:
  explicit LuaScript(std::string source)
      : source_(std::move(source)), sha1_(util::sha1_hex(source_)) {}

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }

 private:
  std::string source_;
  std::string sha1_;
};

// KEYS[1], ARGV[1]: deletes the key only while it still holds that value
// (releasing a lease or lock that is still ours; dropping a token nobody
// has replaced yet). Returns 1 if deleted.
const LuaScript& delete_if_equal();

// KEYS[1], ARGV[1] owner, ARGV[2] lease (ms): takes the key for the owner
// when nobody holds it, or renews the owner's own lease. Returns the holder:
// the owner when taken, else whoever holds it.
const LuaScript& take_lease();

}  // namespace permit::redis
