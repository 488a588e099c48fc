#pragma once

#include "bot/inbound/conversation_store.hpp"

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace permit::core {

// The last committed conversation of recently active students, so the
// common case needs one Redis round trip (the commit) instead of two. It is
// only a guess: the commit's compare-and-set refuses a stale one (another
// instance moved on), and the pipeline then reads Redis again. Bounded in
// entries and in age; least recently used entries go first.
class ConversationCache {
 public:
  ConversationCache(std::size_t capacity, std::chrono::seconds max_age) : capacity_(capacity), max_age_(max_age) {}

  struct Found {
    Conversation conversation;  // empty when `reply` is set
    // The stored reply, when the message asked about is the one committed
    // last: a retry that waited behind its first attempt is answered from
    // here, without running the dialog again.
    std::optional<std::string> reply;
  };
  // The conversation is lent to the caller, who commits the message and
  // remembers what it made, or forgets the student: until then the student
  // is a miss (a student's messages take turns, so nobody else needs it).
  std::optional<Found> find(std::string_view openid, std::string_view dedupe_key);
  // After a commit: the new conversation, and the message and reply that
  // made it.
  void remember(std::string_view openid, Conversation conversation, std::string dedupe_key, std::string reply);
  void forget(std::string_view openid);
  std::size_t size() const;

 private:
  struct Entry {
    Conversation conversation;
    std::string dedupe_key;
    std::string reply;
    std::chrono::steady_clock::time_point stored;
    std::list<std::string>::iterator recency;
    bool lent = false;  // `conversation` taken by a message in progress
  };

  const std::size_t capacity_;
  const std::chrono::seconds max_age_;
  mutable std::mutex mutex_;
  // Transparent hashing: a lookup by string_view allocates nothing.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
  std::list<std::string> recency_;  // most recent first
};

}  // namespace permit::core
