#pragma once

#include "bot/redis/keys.hpp"

#include <string>
#include <vector>

namespace permit::core {

struct LateReply {
  std::string openid;
  std::string dedupe_key;
  std::string content;
};

// The seam to the outbound sender: a reply that missed the platform's
// passive-reply budget is appended to a Redis stream, and the sender (any
// instance) delivers it through the customer-service API. It gets there
// from the student's effect outbox (a "late_reply" entry, see
// ConversationStore::hold), so it is queued exactly when its message is
// committed. The entry carries the message's dedupe key: the sender
// delivers each message's reply once even if it is appended twice.
struct LateReplyQueue {
  static constexpr const char* kStream = keys::kLateReplies;

  static std::vector<std::string> append_command(const LateReply& reply) {
    return {"XADD", kStream, "*", "openid", reply.openid, "dedupe", reply.dedupe_key, "content", reply.content};
  }
};

}  // namespace permit::core
