#include "tests/support/key_tags.hpp"

#include <exception>
#include <string>
#include <vector>

namespace permit::testing {

bool has_hash_tag(std::string_view key) {
  if (!key.starts_with('{')) return false;
  const auto close = key.find('}', 1);
  return close != std::string_view::npos && close > 1;
}

::testing::AssertionResult every_key_has_a_hash_tag(const RedisServer& redis) {
  std::size_t seen = 0;
  std::vector<std::string> untagged;
  try {
    for (int db : redis.databases_in_use()) {
      for (const auto& key : redis.keys(db)) {
        ++seen;
        if (!has_hash_tag(key)) untagged.push_back("db" + std::to_string(db) + " " + key);
      }
    }
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "cannot read the keyspace: " << e.what();
  }
  if (untagged.empty()) return ::testing::AssertionSuccess() << "all " << seen << " keys have a hash tag";
  auto failure = ::testing::AssertionFailure() << untagged.size() << " of " << seen << " keys have no hash tag:";
  for (const auto& key : untagged) failure << "\n  " << key;
  return failure;
}

}  // namespace permit::testing
