#pragma once

#include "bot/inbound/commit_observer.hpp"
#include "bot/inbound/conversation_cache.hpp"
#include "bot/inbound/dialog_source.hpp"
#include "bot/inbound/message_store.hpp"
#include "bot/inbound/sweep_schedule.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/wechat/message_xml.hpp"
#include "dialogs/dialog.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace permit::core {

dialogs::Inbound dialog_input(const wechat::InboundMessage& message);

// A message's reply, and whether it was committed by an earlier attempt.
struct Processed {
  std::string reply;
  bool duplicate = false;
};

struct CommitterOptions {
  // Compare-and-set conflicts with another instance before giving up.
  int max_conflicts = 32;
  // Recently committed conversations kept in memory (see ConversationCache).
  std::size_t cache_entries = 50000;
  std::chrono::seconds cache_max_age{300};
};

// Commits one message, exactly once: answers a message committed already
// with its stored reply; otherwise runs the dialog on the student's state
// and commits the new state, the reply and the effects together, rerunning
// the dialog when another instance moved the state on. The caller holds
// the student's turn (UserLanes), so within this process one message of a
// student is committed at a time; across processes the store's
// compare-and-set decides.
class MessageCommitter {
 public:
  MessageCommitter(MessageStore& store, DialogSource& dialogs, Metrics& metrics, SweepSchedule schedule,
                   CommitterOptions options);

  [[nodiscard]] boost::asio::awaitable<boost::system::result<Processed>> commit(const wechat::InboundMessage& message);

  // The same commit, tried once: nothing, and nothing written, when
  // another instance moved the state on (or the cached copy was stale);
  // commit() then does what this did not.
  [[nodiscard]] boost::asio::awaitable<std::optional<boost::system::result<Processed>>> commit_once(
      const wechat::InboundMessage& message);

  // Applies the effects the student's outbox holds; a failure is logged
  // and left for the next drain (`what` names the occasion in the log).
  boost::asio::awaitable<void> drain_effects(std::string openid, std::string what);

  const SweepSchedule& schedule() const { return schedule_; }

  // Told of every committed message (the console's dashboard); set before
  // the first message.
  void observe_commits(CommitObserver observer) { observer_ = std::move(observer); }

 private:
  // commit() (`once` false: never nothing) and commit_once().
  boost::asio::awaitable<std::optional<boost::system::result<Processed>>> run(const wechat::InboundMessage& message,
                                                                              bool once);
  // The dialog's outcome for this state; never throws (see commit()).
  boost::asio::awaitable<dialogs::Outcome> respond(const std::string& state, const dialogs::StudentState* parsed,
                                                   const dialogs::Inbound& input,
                                                   const wechat::InboundMessage& message, const std::string& dedupe);

  MessageStore& store_;
  DialogSource& dialogs_;
  Metrics& metrics_;
  SweepSchedule schedule_;
  CommitterOptions options_;
  ConversationCache cache_;
  CommitObserver observer_;
};

}  // namespace permit::core
