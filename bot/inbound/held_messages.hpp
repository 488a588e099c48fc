#pragma once

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/inbound/message_committer.hpp"
#include "bot/inbound/user_lanes.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/util/wait_group.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <string>

namespace permit::core {

// Messages held in Redis: one whose webhook answered "success" before its
// reply was ready is held ({u:OPENID}:inbox, written by
// ConversationStore::hold) until its commit, which queues the reply as a
// late reply. Holding is what makes "success" safe: from then on no crash
// or outage loses the message. Whatever the instance that held it does not
// finish (it died, Redis was away longer than it kept retrying), a sweep
// on any instance finds through the Inbox's student entries and commits.
class HeldMessages {
 public:
  HeldMessages(ConversationStore& store, Inbox& inbox, MessageCommitter& committer, UserLanes& lanes,
               util::WaitGroup& tasks, Metrics& metrics, std::chrono::milliseconds claim_lease)
      : store_(store),
        inbox_(inbox),
        committer_(committer),
        lanes_(lanes),
        tasks_(tasks),
        metrics_(metrics),
        claim_lease_(claim_lease) {}

  // Holds a message before its webhook says "success". An error: not held,
  // and the webhook must not say "success".
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> hold(const wechat::InboundMessage& message);

  // Finishes the held messages of students whose time has come: commits
  // each, which queues its reply. Returns true when there may be more.
  [[nodiscard]] boost::asio::awaitable<bool> sweep();

 private:
  boost::asio::awaitable<void> after_hold(std::string openid, std::string dedupe, std::int64_t look_at_ms,
                                          bool committed);
  // Commits what the student has held; true when nothing is left (false,
  // untouched, while this instance has the student's turn).
  [[nodiscard]] boost::asio::awaitable<boost::system::result<bool>> finish(std::string openid);

  ConversationStore& store_;
  Inbox& inbox_;
  MessageCommitter& committer_;
  UserLanes& lanes_;
  util::WaitGroup& tasks_;
  Metrics& metrics_;
  std::chrono::milliseconds claim_lease_;
};

}  // namespace permit::core
