#pragma once

#include "bot/inbound/conversation_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace permit::core {

// What committing a message needs from storage, and nothing more, so that
// MessageCommitter's rules are unit-tested without a redis-server
// (tests/unit/message_committer_test.cpp). RedisMessageStore is the real
// one: ConversationStore, Inbox and EffectOutbox, on Redis.
class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // The student's conversation, or the reply of `dedupe_key` if that
  // message was committed already.
  [[nodiscard]] virtual boost::asio::awaitable<boost::system::result<StoredConversation>> load(
      std::string_view openid, std::string_view dedupe_key) = 0;

  // One compare-and-set: the new state, the reply and the effects (outbox
  // entries) together, or nothing. `recent`: the ring's keys at the
  // expected version, when known (Conversation::recent), so a new message
  // is committed without reading them again.
  [[nodiscard]] virtual boost::asio::awaitable<boost::system::result<CommitResult>> commit(
      std::string_view openid, std::string_view dedupe_key, std::int64_t expected_version, std::string new_state,
      std::string reply, std::vector<std::string> outbox, const RecentKeys* recent) = 0;

  // Makes sure a sweep looks at the student at `look_at_ms` (unix ms) at
  // the latest: written before a commit that leaves effects in the outbox.
  [[nodiscard]] virtual boost::asio::awaitable<boost::system::result<void>> expect_sweep(std::string_view openid,
                                                                                        std::int64_t now_ms,
                                                                                        std::int64_t look_at_ms) = 0;

  // Applies and removes the effects the student's outbox holds.
  [[nodiscard]] virtual boost::asio::awaitable<boost::system::result<void>> drain_effects(
      std::string openid, std::int64_t now_seconds) = 0;
};

}  // namespace permit::core
