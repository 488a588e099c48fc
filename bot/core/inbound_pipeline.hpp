#pragma once

#include "bot/core/commit_observer.hpp"
#include "bot/core/conversation_cache.hpp"
#include "bot/core/conversation_store.hpp"
#include "bot/core/effect_outbox.hpp"
#include "bot/core/inbox.hpp"
#include "bot/core/metrics.hpp"
#include "bot/core/dialog_source.hpp"
#include "bot/core/user_lanes.hpp"
#include "bot/util/wait_group.hpp"
#include "bot/wechat/message_xml.hpp"
#include "dialogs/dialog.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <functional>

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
  // Recently committed conversations kept in memory (see ConversationCache).
  std::size_t cache_entries = 50000;
  std::chrono::seconds cache_max_age{300};
};

// What the webhook should answer.
struct Answer {
  enum class Kind { reply, deferred };
  Kind kind = Kind::reply;
  std::string text;  // empty: nothing to say ("success")
};

dialogs::Inbound dialog_input(const wechat::InboundMessage& message);

// Handles each verified message exactly once: waits for the student's turn,
// answers a retry from the stored reply, runs the dialog, and commits state
// and reply together. Replies only after the commit.
class InboundPipeline {
 public:
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  InboundPipeline(boost::asio::any_io_executor executor, ConversationStore& store, DialogSource& dialogs,
                  Inbox& inbox, EffectOutbox& effects, Metrics& metrics, PipelineOptions options,
                  WallClock clock = [] { return std::chrono::system_clock::now(); });

  // reply_later: the reply goes out through the customer-service API (the
  // JSON push variant), so the answer is "success" at once.
  boost::asio::awaitable<boost::system::result<Answer>> handle(wechat::InboundMessage message,
                                                               std::chrono::steady_clock::time_point arrival,
                                                               bool reply_later = false);

  // Finishes the held messages of students whose time has come (see Inbox):
  // commits each, which queues its reply. Returns true when there may be
  // more. Every instance runs it periodically.
  boost::asio::awaitable<bool> sweep_held();

  // Told of every committed message (the console's dashboard); set before
  // the first message.
  void observe_commits(CommitObserver observer) { observer_ = std::move(observer); }

  // Waits for background work (late replies) to finish, up to the deadline.
  boost::asio::awaitable<bool> drain(std::chrono::steady_clock::time_point deadline) {
    return tasks_.wait(deadline);
  }

 private:
  struct Processed {
    std::string reply;
    bool duplicate = false;
  };
  // What became of a message whose webhook stopped waiting for it.
  enum class Fate { waiting, deferred, refused };
  struct Handoff;

  boost::asio::awaitable<boost::system::result<Processed>> process(const wechat::InboundMessage& message);
  boost::asio::awaitable<void> drain_effects(std::string openid, std::string dedupe);
  boost::asio::awaitable<void> run_in_background(std::shared_ptr<Handoff> handoff);
  // Now, and when a sweep should look at a student this instance holds
  // work of (unix ms).
  struct SweepTimes {
    std::int64_t now_ms;
    std::int64_t look_at_ms;
  };
  SweepTimes sweep_times() const;
  // Holds a message in Redis before its webhook says "success".
  boost::asio::awaitable<boost::system::result<void>> hold(const wechat::InboundMessage& message);
  boost::asio::awaitable<void> after_hold(std::string openid, std::string dedupe, std::int64_t look_at_ms,
                                          bool committed);
  // Commits what the student has held; true when nothing is left (false,
  // untouched, while this instance has the student's turn).
  boost::asio::awaitable<boost::system::result<bool>> finish_held(std::string openid);

  ConversationStore& store_;
  DialogSource& dialogs_;
  Inbox& inbox_;
  EffectOutbox& effects_;
  Metrics& metrics_;
  CommitObserver observer_;
  PipelineOptions options_;
  WallClock clock_;
  ConversationCache cache_;
  UserLanes lanes_;
  util::WaitGroup tasks_;
};

}  // namespace permit::core
