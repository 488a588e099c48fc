#pragma once

#include "bot/redis/keys.hpp"
#include "bot/outbound/wechat_api.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/redis/replica_acks.hpp"
#include "bot/util/task_handle.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace permit::outbound {

struct SenderOptions {
  std::string stream;    // entries with fields openid, dedupe, content (or broadcast and lang)
  std::string group = "senders";
  std::string consumer;  // this instance
  std::string template_id;  // for students outside the 48-hour window; empty: skip them
  int batch = 20;        // entries in hand at most; those of different students are sent concurrently
  std::chrono::milliseconds block{400};        // under the Redis command timeout
  std::chrono::milliseconds claim_idle{30000};  // a crashed consumer's entries move on after this
  int max_attempts = 5;                         // then the entry goes to {outbound}:dead
  // Replicas that must hold an entry's in-flight mark before it is sent
  // (redis_min_replica_acks), and how long WAIT may take for them.
  int min_replica_acks = 0;
  std::chrono::milliseconds replica_wait{500};
};

// Delivers the entries of a Redis stream through the platform's API, from
// any number of instances: a consumer group hands each entry to one
// consumer; entries a dead consumer held are reclaimed with XAUTOCLAIM
// after claim_idle. Up to `batch` entries are in hand at once, refilled as
// each ends; those of different students are sent concurrently, one
// student's in order. Every send passes the shared rate limit (in
// WechatApi). An entry
// left pending for a retry holds back the student's later entries on every
// instance (the blocker key TAG:held:OPENID names it until it ends), so they never overtake
// it. The hold starts with the first failed attempt: two instances that
// take two of one student's entries at the same moment may still send them
// in either order.
//
// Each entry ends once: one Lua script sets its outcome marker
// (TAG:sent:DEDUPE, TAG being the stream's hash tag, kept 7 days), counts
// the outcome (for a broadcast) only if the marker was new, forgets its
// failed attempts (TAG:failures), and acknowledges and deletes the entry.
// A redelivered entry whose marker exists is only acknowledged.
//
// Before the platform is called, the entry is marked in flight
// (TAG:sending:DEDUPE = this consumer, for claim_idle; with Sentinel,
// confirmed on a replica with WAIT). When the outcome cannot be written
// (Redis is failing over), the finish is retried for up to claim_idle / 2;
// meanwhile any other consumer that gets the entry (reclaimed, or read anew
// from a primary that lost the delivery) finds the mark and leaves it alone.
//
// What that makes of a crash (SIGKILL) between the platform's answer and
// the marker: the entry is sent again by whoever reclaims it, once the mark
// has expired.
//   - Template messages carry client_msg_id = sha1(dedupe key); the platform
//     sends one message per openid and key within 10 minutes, so a template
//     message goes out exactly once as long as the entry is reclaimed within
//     10 minutes (claim_idle is 30 s).
//   - Customer-service messages have no such key: one interrupted by a
//     crash after the platform took it, and before the marker, is sent once
//     more. That window is one HTTP exchange wide.
//
// An entry with a "broadcast" field belongs to a staff broadcast: its text
// comes from {broadcast}:ID in the entry's language; it is skipped once the
// broadcast is cancelled; its outcome is counted in {broadcast}:ID (sent,
// skipped, failed, cancelled), reasons by count in {broadcast}:ID:reasons,
// failed recipients with their reason in {broadcast}:ID:failed. An entry
// with window=closed (the student has not written for 48 hours) goes
// straight to the template message.
//
// What the platform says decides what happens to an entry:
//   0                  sent
//   45015              outside the window: template message if configured, else skipped
//   45047              the window's message count used up (no retry helps
//                      until the student writes again): as 45015
//   43004              not subscribed: skipped (reason in {outbound}:skipped)
//   45011              too many this minute: left pending, retried after a pause
//   45009              daily quota used: every instance pauses until midnight
//                      (China time), and it is logged
//   40003, 43101       no retry can help: failed at once, to {outbound}:dead
//   anything else      counted; after max_attempts, moved to {outbound}:dead
class StreamSender {
 public:
  static constexpr const char* kSkipped = keys::kOutboundSkipped;
  static constexpr const char* kDead = keys::kOutboundDead;
  static constexpr const char* kPausedUntil = keys::kOutboundPausedUntil;

  // executor: a strand; every entry in hand is handled on it.
  StreamSender(boost::asio::any_io_executor executor, redis::Client& redis, WechatApi& api, SenderOptions options);

  void start();
  // Stops taking new entries and waits for those in hand (each bounded by
  // the HTTP timeout).
  boost::asio::awaitable<void> stop();

  // The outcome marker of an entry of `stream`, and the stream's failure
  // counts (dedupe key -> failed attempts), under the stream's hash tag.
  static std::string marker_key(const std::string& stream, const std::string& dedupe);
  static std::string failures_key(const std::string& stream);
  // The id of the student's entry that waits for a retry, if any: the
  // student's later entries wait behind it, on every instance.
  static std::string blocker_key(const std::string& stream, const std::string& openid);
  // The consumer sending the entry now, if any.
  static std::string in_flight_key(const std::string& stream, const std::string& dedupe);

 private:
  struct Outcome {
    enum class Kind { sent, skipped, retry_later, failed, permanent } kind;
    std::string detail;  // "custom"/"template" when sent, else the reason
  };
  using Entry = std::pair<std::string, std::map<std::string, std::string>>;
  // What became of an entry: it ended (sent, skipped, cancelled, failed for
  // good), or it stays pending: to be retried, or because an earlier entry
  // of the same student waits for a retry.
  enum class Handled { ended, pending };

  boost::asio::awaitable<void> run();
  // Handles the entries queued for one student, in order, then leaves.
  boost::asio::awaitable<void> serve_student(std::string openid);
  // Until an entry in hand has ended (or at_most has passed).
  boost::asio::awaitable<void> wait_for_room(std::chrono::milliseconds at_most);
  boost::asio::awaitable<Handled> handle(const std::string& id, const std::map<std::string, std::string>& fields);
  // Names the entry as the one the student's later entries wait behind.
  std::vector<std::string> hold_command(const std::string& id, const std::map<std::string, std::string>& fields) const;
  // Lets go of the entry's in-flight mark, if this consumer holds it.
  boost::asio::awaitable<void> release_mark(const std::map<std::string, std::string>& fields);
  // Marks the entry as being sent by this consumer (replicated when
  // replicas are required). Only when the mark is ours may it be sent:
  // theirs, another consumer is sending it; failed, the mark could not be
  // made or confirmed.
  enum class Claim { ours, theirs, failed };
  boost::asio::awaitable<Claim> claim_send(const std::map<std::string, std::string>& fields);
  // The entry stays pending, and holds the student's later entries back.
  boost::asio::awaitable<Handled> left_pending(const std::string& id, const std::map<std::string, std::string>& fields);
  boost::asio::awaitable<Outcome> deliver(const std::map<std::string, std::string>& fields, const std::string& content);
  boost::asio::awaitable<bool> fail(const std::string& id, const std::map<std::string, std::string>& fields,
                                    const std::string& reason, bool permanent);
  // Appends `record` (to the skipped or dead stream) and ends the entry.
  boost::asio::awaitable<void> record_and_finish(std::vector<std::string> record, const std::string& id,
                                                 const std::map<std::string, std::string>& fields, const char* outcome,
                                                 const std::string& reason);
  // Ends the entry: marker, count (for a broadcast, if the marker is new), XACK, XDEL.
  boost::asio::awaitable<void> finish(const std::string& id, const std::map<std::string, std::string>& fields,
                                      const char* counter, const char* marker, std::string_view reason);
  boost::asio::awaitable<bool> paused();
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds d);

  boost::asio::any_io_executor executor_;
  redis::Client& redis_;
  WechatApi& api_;
  SenderOptions options_;
  redis::ReplicaAcks replicas_;
  std::atomic<bool> stopping_{false};
  // On the executor (a strand) only: the entries in hand, by student.
  int in_hand_ = 0;
  std::map<std::string, std::deque<Entry>> students_;
  // Where XAUTOCLAIM's scan of the pending entries goes on from.
  std::string claim_cursor_ = "0-0";
  bool woken_ = false;
  boost::asio::steady_timer wake_;
  util::TaskHandle task_;
};

}  // namespace permit::outbound
