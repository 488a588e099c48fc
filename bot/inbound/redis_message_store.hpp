#pragma once

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/effect_outbox.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/inbound/message_store.hpp"

namespace permit::core {

// MessageStore on Redis: the conversation store's load and commit, the
// inbox's sweep entry, the effect outbox's drain.
class RedisMessageStore final : public MessageStore {
 public:
  RedisMessageStore(ConversationStore& conversations, Inbox& inbox, EffectOutbox& effects)
      : conversations_(conversations), inbox_(inbox), effects_(effects) {}

  [[nodiscard]] boost::asio::awaitable<boost::system::result<StoredConversation>> load(std::string_view openid,
                                                                         std::string_view dedupe_key) override {
    return conversations_.load(openid, dedupe_key);
  }
  [[nodiscard]] boost::asio::awaitable<boost::system::result<CommitResult>> commit(std::string_view openid,
                                                                     std::string_view dedupe_key,
                                                                     std::int64_t expected_version,
                                                                     std::string new_state, std::string reply,
                                                                     std::vector<std::string> outbox,
                                                                     const RecentKeys* recent) override {
    return conversations_.commit(openid, dedupe_key, expected_version, std::move(new_state), std::move(reply),
                                 std::move(outbox), recent);
  }
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> expect_sweep(std::string_view openid, std::int64_t now_ms,
                                                                   std::int64_t look_at_ms) override {
    return inbox_.expect(openid, now_ms, look_at_ms);
  }
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> drain_effects(std::string openid,
                                                                    std::int64_t now_seconds) override {
    return effects_.drain(std::move(openid), now_seconds);
  }

 private:
  ConversationStore& conversations_;
  Inbox& inbox_;
  EffectOutbox& effects_;
};

}  // namespace permit::core
