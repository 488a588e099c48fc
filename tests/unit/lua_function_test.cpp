// redis::LuaFunction: the library FUNCTION LOAD gets, named after its code.

#include "bot/redis/lua_script.hpp"

#include <gtest/gtest.h>

namespace permit::redis {
namespace {

TEST(LuaFunction, IsTheOneFunctionOfALibraryNamedAfterItsCode) {
  LuaFunction function("stem", "local function one() return 1 end", "return one()");
  const std::string& name = function.name();
  ASSERT_EQ(name.size(), std::string("stem_").size() + 40);
  EXPECT_TRUE(name.starts_with("stem_"));
  EXPECT_EQ(name.find_first_not_of("0123456789abcdef", 5), std::string::npos);
  EXPECT_EQ(function.library(), "#!lua name=" + name + "\nlocal function one() return 1 end\n" +
                                    "redis.register_function('" + name + "', function(KEYS, ARGV)\nreturn one()\nend)\n");
}

TEST(LuaFunction, OtherCodeIsAnotherFunction) {
  LuaFunction function("stem", "local x = 1", "return x");
  EXPECT_EQ(LuaFunction("stem", "local x = 1", "return x").name(), function.name());
  EXPECT_NE(LuaFunction("stem", "local x = 2", "return x").name(), function.name());
  EXPECT_NE(LuaFunction("stem", "local x = 1", "return x + 0").name(), function.name());
  EXPECT_EQ(LuaFunction("other", "local x = 1", "return x").name(), "other" + function.name().substr(4));
}

}  // namespace
}  // namespace permit::redis
