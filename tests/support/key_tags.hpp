#pragma once

#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace permit::testing {

// Whether the key begins with a Cluster hash tag: '{', a tag that is not
// empty, '}'. Keys that share a tag share a slot, so a script may touch
// them together on a Redis Cluster.
bool has_hash_tag(std::string_view key);

// Passes if every key in every database of the server has a hash tag;
// fails listing each key that has none (and if the keyspace cannot be
// read). End-to-end tests call it once the bot has done its work:
//   EXPECT_TRUE(every_key_has_a_hash_tag(redis));
::testing::AssertionResult every_key_has_a_hash_tag(const RedisServer& redis);

}  // namespace permit::testing
