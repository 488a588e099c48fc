#include "bot/redis/lua_script.hpp"

namespace permit::redis {

namespace {

std::string library_text(std::string_view name, std::string_view prelude, std::string_view body) {
  std::string text = "#!lua name=";
  text.append(name).append("\n").append(prelude);
  text.append("\nredis.register_function('").append(name).append("', function(KEYS, ARGV)\n");
  text.append(body).append("\nend)\n");
  return text;
}

}  // namespace

// Named after the SHA-1 of the whole library with the name left out.
LuaFunction::LuaFunction(std::string_view stem, std::string_view prelude, std::string_view body)
    : name_(std::string(stem) + "_" + util::sha1_hex(library_text("", prelude, body))),
      library_(library_text(name_, prelude, body)) {}

const LuaScript& delete_if_equal() {
  static const LuaScript script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return script;
}

const LuaScript& take_lease() {
  static const LuaScript script(R"lua(
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]
)lua");
  return script;
}

}  // namespace permit::redis
