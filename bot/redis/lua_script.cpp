#include "bot/redis/lua_script.hpp"

namespace permit::redis {

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
