#pragma once

#include "bot/redis/keys.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/redis/redis_client.hpp"
#include "dialogs/dialog.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace permit::core {

// The dialog's effects leave the student's own slot in two moves. The
// commit script appends them to {u:OPENID}:outbox in the same transaction
// as the new state, so they are never lost while the state moves on; then
// drain() applies them to the shared keys below and removes them. Applying
// is idempotent, so a drain that applied an entry but could not remove it
// (the process died, Redis went away) does no harm when the entry is
// applied again: reminders are replaced, an unanswered question is recorded
// once per entry (a marker {admin}:unanswered:applied:SHA1(OPENID, ID) for
// 30 days; an entry without an id is known by its text), and the sender
// delivers a late reply once per message. The commit and the load report how many entries wait, and whoever sees a non-empty
// outbox drains it (a retry of a message whose drain failed included);
// one drainer per student at a time, under {u:OPENID}:outbox-lock.
//
// The keys it writes (unanswered questions, reminders, late replies) are
// described in docs/data-model.md.
class EffectOutbox {
 public:
  static constexpr const char* kUnanswered = keys::kUnanswered;
  static constexpr const char* kReminderStudents = keys::kReminderStudents;
  static constexpr const char* kDue = keys::kRemindersDue;
  static constexpr const char* kReminderTexts = keys::kReminderTexts;
  // "DATE|REMINDER|OPENID": the openid is the part after the last "|".
  static std::string reminder_member(const std::string& on, const std::string& reminder, const std::string& openid);

  // `metrics` counts the entries that cannot be applied.
  EffectOutbox(redis::Client& redis, Metrics& metrics) : redis_(redis), metrics_(metrics) {}

  // One outbox entry per effect, as the commit script stores it; `source`
  // (the message's dedupe key) makes each entry's id, "SOURCE#INDEX".
  static std::vector<std::string> serialise(const std::vector<dialogs::Effect>& effects,
                                            std::string_view source = {});

  // Applies and removes what the student's outbox holds.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> drain(std::string openid, std::int64_t now_seconds);

 private:
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> apply(const std::string& openid, const std::string& entry,
                                                            std::int64_t now_seconds);
  // Applies what the outbox holds now, in order, counting into `applied`;
  // the first failure, if any.
  boost::asio::awaitable<boost::system::error_code> apply_all(const std::string& openid, std::int64_t now_seconds,
                                                              std::size_t& applied);
  redis::Client& redis_;
  Metrics& metrics_;
};

}  // namespace permit::core
