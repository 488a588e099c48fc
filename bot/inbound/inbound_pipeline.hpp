#pragma once

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/dialog_source.hpp"
#include "bot/inbound/effect_outbox.hpp"
#include "bot/inbound/held_messages.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/inbound/message_committer.hpp"
#include "bot/inbound/redis_message_store.hpp"
#include "bot/inbound/reply_budgets.hpp"
#include "bot/inbound/reply_handoff.hpp"
#include "bot/inbound/user_lanes.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/redis/replica_acks.hpp"
#include "bot/util/wait_group.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace permit::core {

struct PipelineOptions {
  // After this, the webhook answers "success" and the reply goes out later.
  std::chrono::milliseconds reply_budget{4000};
  // Compare-and-set conflicts with another instance before giving up.
  int max_conflicts = 32;
  // After the platform was told "success", transient failures are retried
  // for this long. The message is held in Redis meanwhile; what is still not
  // committed then is finished by a sweep (any instance), from
  // late_retry_window + held_grace after it was held.
  std::chrono::milliseconds late_retry_window{30000};
  std::chrono::milliseconds held_grace{10000};
  // How long a sweep has a student's held messages to itself.
  std::chrono::milliseconds held_claim_lease{30000};
  // The webhook commits a message itself (see InboundPipeline) only while
  // this much of the reply budget is left: what its waits on Redis take at
  // most in the common case, each bounded by the client's command timeout
  // (the load, the commit, the effects' drain). The bot sets it to three
  // command timeouts; a shorter budget sends every message through the
  // background.
  std::chrono::milliseconds quick_wait{3000};
  // Recently committed conversations kept in memory (see ConversationCache).
  std::size_t cache_entries = 50000;
  std::chrono::seconds cache_max_age{300};
  // When set, a reply is answered only once the replicas have the commit
  // (WAIT, within the reply budget), else 503 and the platform retries.
  redis::ReplicaAcks* replicas = nullptr;
};

// What the webhook should answer.
struct Answer {
  enum class Kind { reply, deferred };
  Kind kind = Kind::reply;
  std::string text;  // empty: nothing to say ("success")
};

// A verified message, from the webhook to its reply. Each message is
// committed in its student's turn (UserLanes), by the MessageCommitter.
// The common message (its student's turn free, the state not moved on by
// another instance) is committed by the webhook itself, tried once: its
// waits are the Redis client's, each with its timeout. Any other is
// committed in the background, and the webhook waits for the reply within
// the reply budget (ReplyHandoff, timed by ReplyBudgets). A message not
// done by then is held in Redis (HeldMessages) and answered "success"; its
// commit queues the reply, and what this instance does not finish, a sweep
// does. (The background task, its hand-off and its timer cost about a
// tenth of the bot's work per message: bench/README.md.)
class InboundPipeline {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  InboundPipeline(boost::asio::any_io_executor executor, ConversationStore& store, DialogSource& dialogs,
                  Inbox& inbox, EffectOutbox& effects, Metrics& metrics, PipelineOptions options,
                  WallClock clock = [] { return std::chrono::system_clock::now(); });

  // reply_later: the reply goes out through the customer-service API (the
  // JSON push variant), so the answer is "success" at once.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Answer>> handle(
      wechat::InboundMessage message, std::chrono::steady_clock::time_point arrival, bool reply_later = false);

  // Finishes the held messages of students whose time has come (see
  // HeldMessages). Returns true when there may be more. Every instance runs
  // it periodically.
  [[nodiscard]] boost::asio::awaitable<bool> sweep_held() { return held_.sweep(); }

  // Told of every committed message (the console's dashboard); set before
  // the first message.
  void observe_commits(CommitObserver observer) { committer_.observe_commits(std::move(observer)); }

  // Waits for background work (late replies) to finish, up to the deadline.
  [[nodiscard]] boost::asio::awaitable<bool> drain(std::chrono::steady_clock::time_point deadline) {
    return tasks_.wait(deadline);
  }

 private:
  // Commits the message in the student's turn, and hands the outcome to its
  // webhook, or finishes it if the webhook stopped waiting.
  // `turn`: the student's, if the caller has it already.
  boost::asio::awaitable<void> run_in_background(std::shared_ptr<ReplyHandoff> handoff,
                                                 std::optional<UserLanes::Ticket> turn);
  // The webhook's answer once the message's outcome is in.
  boost::asio::awaitable<boost::system::result<Answer>> answer(boost::system::result<Processed> outcome,
                                                               redis::ReplicaAcks::Ticket ticket,
                                                               std::chrono::steady_clock::time_point arrival);

  Metrics& metrics_;
  PipelineOptions options_;
  RedisMessageStore storage_;
  MessageCommitter committer_;
  UserLanes lanes_;
  util::WaitGroup tasks_;
  ReplyBudgets budgets_;
  HeldMessages held_;
};

}  // namespace permit::core
