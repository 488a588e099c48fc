#pragma once

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace permit::core {

// Who a broadcast is for; an empty field does not filter.
struct Audience {
  bool all = false;
  std::string university;   // script id
  std::string step;         // walkthrough node the student is at
  std::string expiry_from;  // ISO dates, inclusive
  std::string expiry_to;
  std::string lang;  // "en" or "zh"
};

struct BroadcastSpec {
  Audience audience;
  std::string text_en, text_zh;
  std::int64_t send_at = 0;  // unix seconds; 0: now
};

struct AudienceSample {
  std::size_t size = 0;
  std::size_t outside_window = 0;  // of size: silent for 47 h, so they get the template message
  std::vector<std::string> sample;  // a few openids
};

// Staff broadcasts. The audience is read from the students' conversation
// states; each recipient becomes one entry of the stream {broadcast}:queue
// (openid, dedupe "b:ID:OPENID", broadcast ID, lang, and window=closed when
// the student has not written for 47 hours), which a StreamSender delivers
// with the text of the broadcast in the student's language. Counts and
// reasons live in {broadcast}:ID.
//
// The fan-out reads the states a SCAN page at a time (the states of a page
// all at once on the pipeline) and queues each page with one Lua script
// that, atomically: checks that this instance still holds the broadcast's
// fan-out lease and renews it, queues only the students not yet in
// {broadcast}:ID:members, counts them, and records the SCAN cursor reached.
// An instance killed mid-fan-out leaves the broadcast in {broadcast}:fanning
// with its cursor; the job of any instance (tick) takes the lease once it
// has expired and goes on from that cursor. SCAN may return a key twice; the
// members set keeps every student to one entry.
//
// Its keys are described in docs/data-model.md.
class Broadcasts {
 public:
  static constexpr const char* kQueue = keys::kBroadcastQueue;
  static constexpr const char* kScheduled = keys::kBroadcastScheduled;
  static constexpr const char* kFanning = keys::kBroadcastFanning;
  static constexpr int kLeaseMs = 3000;

  // owner: this instance's name (holds fan-out leases).
  Broadcasts(redis::Client& redis, std::string owner) : redis_(redis), owner_(std::move(owner)) {}

  [[nodiscard]] boost::asio::awaitable<boost::system::result<AudienceSample>> preview(Audience audience);
  struct Created {
    std::string id;
    std::string status;  // "queued", "scheduled", or "queueing" (another instance finishes the fan-out)
    std::size_t audience_size = 0;  // queued now (0 while scheduled)
  };
  // Stores the broadcast; queues it now unless send_at is in the future.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Created>> create(BroadcastSpec spec, std::string author);
  // The broadcast's hash, its reasons ("reason:TEXT") and up to 100 failed
  // recipients ("failed:OPENID"), or nothing if there is no such broadcast.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::map<std::string, std::string>>> status(std::string id);
  enum class Cancelled { no_such_broadcast, cancelled };
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Cancelled>> cancel(std::string id, std::string author);
  // The job every instance runs each second: releases the scheduled
  // broadcasts whose time has come, and fans out those whose fan-out has
  // no live owner (released, or interrupted by a crash). Returns false.
  boost::asio::awaitable<bool> tick();

  static std::string key(const std::string& id) { return keys::broadcast(id); }

 private:
  struct Recipient {
    std::string openid;
    bool chinese = false;
    bool window_closed = false;
  };
  struct Page {
    std::string next_cursor;  // "0": the last page
    std::vector<Recipient> recipients;
  };
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Page>> scan_page(const Audience& audience, std::string cursor);
  struct FanOut {
    bool done = false;  // false: the lease was lost, or the broadcast cancelled
    std::size_t queued = 0;
  };
  // Queues the audience from `cursor` on, holding the lease.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<FanOut>> fan_out(const std::string& id, const Audience& audience,
                                                               std::string cursor);

  redis::Client& redis_;
  std::string owner_;
};

std::string audience_json(const Audience& audience);
Audience audience_from_json(const std::string& json);

}  // namespace permit::core
