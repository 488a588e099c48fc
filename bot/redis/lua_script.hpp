#pragma once

#include "bot/util/digest.hpp"

#include <string>
#include <string_view>
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

// A Lua function run by FCALL (Redis 7 Functions): cheaper for Redis than
// the same code as a script run by EVALSHA (bench/README.md, "The commit
// by FCALL"): no globals to set per call, and its helpers are defined once.
// It is the one function of a library of its own, and both are named after
// the code's SHA-1, as a script is by EVALSHA: the library of a given code
// never changes once loaded, and two versions of the bot running side by
// side (a rolling upgrade) each find their own.
//   prelude: runs once, when the library is loaded (local helper
//            functions; redis.call is not available there);
//   body:    the function's, which sees its keys and arguments as KEYS and
//            ARGV, as a script does.
// `stem` ([a-z_]+) starts the name, for reading FUNCTION LIST.
class LuaFunction {
 public:
  LuaFunction(std::string_view stem, std::string_view prelude, std::string_view body);

  const std::string& name() const { return name_; }
  // FUNCTION LOAD's argument.
  const std::string& library() const { return library_; }

 private:
  std::string name_;
  std::string library_;
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
