// The check that end-to-end tests end with: every key carries a Cluster
// hash tag. Shown here to name each key without one, in any database.

#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::testing {
namespace {

TEST(KeyTags, TheCheckNamesEveryKeyWithoutATagInEveryDatabase) {
  RedisServer redis;
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
  for (const char* key : {"{u:stu}:conv", "{outbound}:rate", "{x}"}) ASSERT_EQ(redis.command({"SET", key, "1"}), "OK");
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));

  for (const char* key : {"plain", "{}:empty-tag", "u:{stu}:conv", "{unclosed", "elsewhere"})
    ASSERT_EQ(redis.command({"SET", key, "1"}), "OK");
  ASSERT_EQ(redis.command({"MOVE", "elsewhere", "3"}), "1");
  const auto result = every_key_has_a_hash_tag(redis);
  EXPECT_FALSE(result);
  const std::string listed = std::string(result.message()) + "\n";
  EXPECT_NE(listed.find("5 of 8 keys have no hash tag:"), std::string::npos) << listed;
  for (const char* bad : {"db0 plain", "db0 {}:empty-tag", "db0 u:{stu}:conv", "db0 {unclosed", "db3 elsewhere"})
    EXPECT_NE(listed.find(std::string("\n  ") + bad + "\n"), std::string::npos) << bad << " not in: " << listed;
  for (const char* good : {"{u:stu}:conv", "{outbound}:rate", "{x}"})
    EXPECT_EQ(listed.find(good), std::string::npos) << good << " in: " << listed;

  // A keyspace that cannot be read does not pass.
  redis.kill();
  EXPECT_FALSE(every_key_has_a_hash_tag(redis));
}

}  // namespace
}  // namespace permit::testing
