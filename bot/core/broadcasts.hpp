#pragma once

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
  std::vector<std::string> sample;  // a few openids
};

// Staff broadcasts. The audience is read from the students' conversation
// states; each recipient becomes one entry of the stream {broadcast}:queue
// (dedupe "b:ID:OPENID", the text in the student's language), which a
// StreamSender delivers. Counts and reasons live in {broadcast}:ID.
//
//   {broadcast}:seq            the last id
//   {broadcast}:ID             hash: status, author, created_at, send_at,
//                              audience, text_en, text_zh, audience_size,
//                              queued, sent, skipped, failed, cancelled
//   {broadcast}:ID:reasons     hash reason -> count
//   {broadcast}:scheduled      sorted set of ids by send_at
class Broadcasts {
 public:
  static constexpr const char* kQueue = "{broadcast}:queue";
  static constexpr const char* kScheduled = "{broadcast}:scheduled";

  explicit Broadcasts(redis::Client& redis) : redis_(redis) {}

  boost::asio::awaitable<boost::system::result<AudienceSample>> preview(Audience audience);
  struct Created {
    std::string id;
    std::string status;  // "queued" or "scheduled"
    std::size_t audience_size = 0;  // queued now (0 while scheduled)
  };
  // Stores the broadcast; queues it now unless send_at is in the future.
  boost::asio::awaitable<boost::system::result<Created>> create(BroadcastSpec spec, std::string author);
  boost::asio::awaitable<boost::system::result<std::map<std::string, std::string>>> status(std::string id);
  // false: no such broadcast.
  enum class Cancelled { no_such_broadcast, cancelled };
  boost::asio::awaitable<boost::system::result<Cancelled>> cancel(std::string id, std::string author);
  // Queues the scheduled broadcasts whose time has come (any instance).
  boost::asio::awaitable<void> release_due(std::int64_t now);

  static std::string key(const std::string& id) { return "{broadcast}:" + id; }

 private:
  struct Recipient {
    std::string openid;
    bool chinese = false;
  };
  boost::asio::awaitable<boost::system::result<std::vector<Recipient>>> select(const Audience& audience,
                                                                              std::size_t limit);
  // Queues one entry per recipient; returns how many.
  boost::asio::awaitable<boost::system::result<std::size_t>> fan_out(const std::string& id, const Audience& audience,
                                                                    const std::string& text_en,
                                                                    const std::string& text_zh);

  redis::Client& redis_;
};

std::string audience_json(const Audience& audience);
Audience audience_from_json(const std::string& json);

}  // namespace permit::core
