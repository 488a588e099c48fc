#pragma once

#include "bot/redis/redis_client.hpp"
#include "dialogs/dialog.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::core {

// How many of a student's last replies are kept for the platform's retries
// (the ring in the conversation hash; see conversation_store.cpp).
inline constexpr std::int64_t kRecentReplies = 4;

// The dedupe keys of a conversation's last messages, by ring slot
// (version % kRecentReplies); "" for a slot not yet used.
using RecentKeys = std::array<std::string, kRecentReplies>;

// The ring slot of the message committed as `version`.
inline std::size_t ring_slot(std::int64_t version) { return static_cast<std::size_t>(version % kRecentReplies); }

// A student's conversation as stored: the state blob and its version, which
// goes up by exactly one per committed message.
struct Conversation {
  std::int64_t version = 0;
  std::string state;  // empty for a student never seen
  // `state` as the dialog last held it, when the bot's cache kept it (never
  // from Redis): the next message need not parse it again.
  std::shared_ptr<const dialogs::StudentState> parsed;
  // The ring's dedupe keys at `version`, when known (read with the state,
  // or kept from this instance's own commit). The version fixes the ring:
  // only a commit writes it, and every commit moves the version on.
  std::optional<RecentKeys> recent;
};

// What load() found: the conversation, or the reply of a message committed
// already.
struct StoredConversation {
  std::optional<std::string> prior_reply;  // the message was already committed
  Conversation conversation;
  std::int64_t pending_effects = 0;  // left in the outbox (with prior_reply)
};

struct CommitResult {
  enum class Status { committed, duplicate, conflict };
  Status status = Status::committed;
  std::string prior_reply;  // for duplicate
  std::int64_t version = 0;
  // In the outbox after this: for a duplicate, all of them; for a commit,
  // what it pushed (with leftovers before them), 0 when it pushed nothing.
  std::int64_t pending_effects = 0;
};

// What hold() did with a message: held until its commit, or (committed
// already) its stored reply queued as a late reply.
enum class HoldResult { held, committed };

struct StoreOptions {
  std::int64_t retention_seconds = 180LL * 24 * 3600;
};

// Keys of one student share the hash tag {u:OPENID}, so a script that
// touches them all stays on one Cluster slot.
std::string conversation_key(std::string_view openid);
std::string outbox_key(std::string_view openid);  // the dialog's effects, see EffectOutbox
std::string inbox_key(std::string_view openid);   // held messages, see hold()

// Conversation state and the last replies in Redis. The commit is one Lua
// function (FCALL): it checks the message was not committed already (among the
// student's last replies), compares the version, and writes the new state
// and the reply together. Given the ring's keys at the expected version
// (`recent`) and the message not among them, it skips that check: the
// compare-and-set of the version then proves the stored ring is the one
// given, so the message cannot be in it.
class ConversationStore {
 public:
  ConversationStore(redis::Client& redis, StoreOptions options);

  // Whether commands can reach Redis right now.
  bool reachable() const { return redis_.connected(); }

  [[nodiscard]] boost::asio::awaitable<boost::system::result<StoredConversation>> load(std::string_view openid, std::string_view dedupe_key);

  [[nodiscard]] boost::asio::awaitable<boost::system::result<CommitResult>> commit(std::string_view openid, std::string_view dedupe_key,
                                                                    std::int64_t expected_version,
                                                                    std::string new_state, std::string reply,
                                                                    std::vector<std::string> outbox = {},
                                                                    const RecentKeys* recent = nullptr);

  // Holds a message whose webhook is about to answer "success" before its
  // reply is ready: {u:OPENID}:inbox keeps it (`message`, JSON) until the
  // commit removes it and queues its reply in the effect outbox as a
  // "late_reply" entry. If it was committed already, its stored reply is
  // queued at once. Nothing acknowledged is then lost to a crash: a held
  // message is found again through Inbox and finished by any instance.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<HoldResult>> hold(std::string_view openid, std::string_view dedupe_key,
                                                                 std::string message);

 private:
  redis::Client& redis_;
  StoreOptions options_;
};

}  // namespace permit::core
