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

}  // namespace permit::redis
