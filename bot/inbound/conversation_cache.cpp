#include "bot/inbound/conversation_cache.hpp"

namespace permit::core {

std::optional<ConversationCache::Found> ConversationCache::find(std::string_view openid, std::string_view dedupe_key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(openid);
  if (it == entries_.end()) return std::nullopt;
  if (std::chrono::steady_clock::now() - it->second.stored > max_age_) {
    recency_.erase(it->second.recency);
    entries_.erase(it);
    return std::nullopt;
  }
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  Found found;
  if (it->second.dedupe_key == dedupe_key) {
    found.reply = it->second.reply;
    return found;
  }
  // Lent out, not copied (the state, its parse, the ring's keys: five
  // allocations a message): the message that takes it commits and
  // remembers the next one, or forgets it. Meanwhile, or if it ends
  // without either, the entry is a miss.
  if (it->second.lent) return std::nullopt;
  found.conversation = std::move(it->second.conversation);
  it->second.lent = true;
  return found;
}

void ConversationCache::remember(std::string_view openid, Conversation conversation, std::string dedupe_key,
                                 std::string reply) {
  if (capacity_ == 0) return;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto [it, inserted] = entries_.try_emplace(std::string(openid));
  if (inserted) {
    recency_.push_front(it->first);
    it->second.recency = recency_.begin();
  } else {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
  }
  it->second.conversation = std::move(conversation);
  it->second.lent = false;
  it->second.dedupe_key = std::move(dedupe_key);
  it->second.reply = std::move(reply);
  it->second.stored = now;
  while (entries_.size() > capacity_) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
}

void ConversationCache::forget(std::string_view openid) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(openid);
  if (it == entries_.end()) return;
  recency_.erase(it->second.recency);
  entries_.erase(it);
}

std::size_t ConversationCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace permit::core
