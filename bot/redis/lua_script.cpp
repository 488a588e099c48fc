#include "bot/redis/lua_script.hpp"

namespace permit::redis {

const LuaScript& delete_if_equal() {
  static const LuaScript script(R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua");
  return script;
}

}  // namespace permit::redis
