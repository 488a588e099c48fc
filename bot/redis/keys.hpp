#pragma once

// Every Redis key and channel the bot uses, by name. What each holds, who
// writes it and when it goes is written down once, in docs/data-model.md;
// this file only spells the names. A key's {hash tag} puts the keys one
// script touches on one Cluster slot: a student's keys share {u:OPENID}.

#include <optional>
#include <string>
#include <string_view>

namespace permit::keys {

// ---- one student: {u:OPENID} ------------------------------------------------
inline std::string student_key(std::string_view openid, std::string_view what) {
  std::string key;
  key.reserve(openid.size() + what.size() + 5);
  key.append("{u:").append(openid).append("}:").append(what);
  return key;
}
inline std::string conversation(std::string_view openid) { return student_key(openid, "conv"); }
inline std::string outbox(std::string_view openid) { return student_key(openid, "outbox"); }
inline std::string outbox_lock(std::string_view openid) { return student_key(openid, "outbox-lock"); }
inline std::string inbox(std::string_view openid) { return student_key(openid, "inbox"); }
// SCAN pattern of every conversation, and the student a key belongs to.
inline constexpr const char* kConversationPattern = "{u:*}:conv";
inline std::optional<std::string_view> conversation_openid(std::string_view key) {
  constexpr std::string_view head = "{u:", tail = "}:conv";
  if (key.size() <= head.size() + tail.size() || !key.starts_with(head) || !key.ends_with(tail)) return std::nullopt;
  return key.substr(head.size(), key.size() - head.size() - tail.size());
}

// ---- held messages and effects to finish (Inbox) ----------------------------
inline constexpr const char* kSweepDue = "{inbox}:students";

// ---- reminders (EffectOutbox writes, ReminderJob sends) ---------------------
inline constexpr const char* kReminderStudents = "{reminders}:students";
inline constexpr const char* kRemindersDue = "{reminders}:due";
inline constexpr const char* kReminderTexts = "{reminders}:texts";
inline constexpr const char* kReminderOutbox = "{reminders}:outbox";
inline std::string reminders_of(std::string_view openid) { return "{reminders}:of:" + std::string(openid); }

// ---- questions nobody answered (for admins) ---------------------------------
inline constexpr const char* kUnanswered = "{admin}:unanswered";
inline std::string unanswered_applied(std::string_view digest) {
  return "{admin}:unanswered:applied:" + std::string(digest);
}

// ---- outbound: the sender, the token, the rate ------------------------------
inline constexpr const char* kLateReplies = "{outbound}:late-replies";
inline constexpr const char* kOutboundSkipped = "{outbound}:skipped";
inline constexpr const char* kOutboundDead = "{outbound}:dead";
inline constexpr const char* kOutboundPausedUntil = "{outbound}:paused-until";
inline constexpr const char* kAccessToken = "{outbound}:access-token";
inline constexpr const char* kTokenLease = "{outbound}:token-lease";
inline constexpr const char* kOutboundRate = "{outbound}:rate";
// A stream's delivered marker: TAG:sent:DEDUPE, TAG being the stream's tag.
inline std::string sent_marker(std::string_view tag, std::string_view dedupe) {
  return std::string(tag) + ":sent:" + std::string(dedupe);
}
// An entry being sent: the consumer sending it, set before the send and
// replicated (WAIT) where replicas are required, deleted when it ends. Another
// consumer that finds it leaves the entry alone until it expires (claim_idle),
// so a send whose outcome could not be recorded is not repeated.
inline std::string send_in_flight(std::string_view tag, std::string_view dedupe) {
  return std::string(tag) + ":sending:" + std::string(dedupe);
}
// A stream's failed attempts per entry.
inline std::string stream_failures(std::string_view tag) { return std::string(tag) + ":failures"; }
// The blocker: the student's entry waiting for a retry, which their later
// entries wait behind. (Spelled ":held:" in Redis, from before "held" was
// kept for held messages; kept so an upgrade loses no blocker.)
inline std::string stream_blocker(std::string_view tag, std::string_view openid) {
  return std::string(tag) + ":held:" + std::string(openid);
}

// ---- published scripts -------------------------------------------------------
// (The publish script in bot/scripts/script_store.cpp spells the same
// prefix in Lua.)
inline constexpr const char* kScriptsPrefix = "{scripts}:";
inline constexpr const char* kScriptsCurrent = "{scripts}:current";
inline constexpr const char* kScriptsPublished = "{scripts}:published";  // pub/sub channel
inline std::string script_release(std::string_view release) { return "{scripts}:release:" + std::string(release); }
inline std::string script_blob(std::string_view sha) { return "{scripts}:blob:" + std::string(sha); }
inline std::string script_meta(std::string_view release) { return "{scripts}:meta:" + std::string(release); }
inline std::string script_draft(std::string_view author) { return "{scripts}:draft:" + std::string(author); }

// ---- broadcasts -------------------------------------------------------------
inline constexpr const char* kBroadcastQueue = "{broadcast}:queue";
inline constexpr const char* kBroadcastScheduled = "{broadcast}:scheduled";
inline constexpr const char* kBroadcastFanning = "{broadcast}:fanning";
inline constexpr const char* kBroadcastSeq = "{broadcast}:seq";
inline std::string broadcast(std::string_view id) { return "{broadcast}:" + std::string(id); }
inline std::string broadcast_reasons(std::string_view id) { return broadcast(id) + ":reasons"; }
inline std::string broadcast_failed(std::string_view id) { return broadcast(id) + ":failed"; }
inline std::string broadcast_members(std::string_view id) { return broadcast(id) + ":members"; }
inline std::string broadcast_lease(std::string_view id) { return broadcast(id) + ":lease"; }

// ---- the audit chain --------------------------------------------------------
inline constexpr const char* kAuditHead = "{audit}:head";
inline constexpr const char* kAuditLog = "{audit}:log";

}  // namespace permit::keys

// ---- console accounts and sessions: {accounts} ---------------------------
namespace permit::accounts::keys {

inline constexpr std::string_view kNames = "{accounts}:names";

inline std::string user(std::string_view name) { return "{accounts}:user:" + std::string(name); }
inline std::string sessions_of(std::string_view name) { return "{accounts}:sessions:" + std::string(name); }
inline std::string session(std::string_view id) { return "{accounts}:session:" + std::string(id); }
inline std::string failures_of_name(std::string_view name) { return "{accounts}:fail:name:" + std::string(name); }
inline std::string failures_of_address(std::string_view address) {
  return "{accounts}:fail:addr:" + std::string(address);
}

}  // namespace permit::accounts::keys

// ---- the console's dashboard: {dash} (days and hours are China time) -----
namespace permit::dashboard::keys {

inline std::string day(std::string_view date) { return "{dash}:day:" + std::string(date); }
inline std::string active(std::string_view university, std::string_view date) {
  return "{dash}:active:" + std::string(university) + ":" + std::string(date);
}
inline std::string funnel(std::string_view university) { return "{dash}:funnel:" + std::string(university); }
inline std::string deadlines(std::string_view university) { return "{dash}:deadlines:" + std::string(university); }

inline constexpr int kRetentionDays = 40;

// The field of an hour (0-23) in a day hash: "h00".."h23".
inline std::string hour_field(int hour) { return (hour < 10 ? "h0" : "h") + std::to_string(hour); }

}  // namespace permit::dashboard::keys
