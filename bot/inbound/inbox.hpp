#pragma once

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace permit::core {

// Finds the messages held in {u:OPENID}:inbox (ConversationStore::hold)
// again, so that one whose instance died, or whose Redis was away longer
// than the instance kept retrying, is still committed and answered; and
// the effects a commit left in {u:OPENID}:outbox, so that they are applied
// even if their instance died before draining them (a message with effects
// writes the student's entry before its commit).
//
//   {inbox}:students   sorted set openid -> when to look at the student
//                      (unix ms). Written before the message is held (and
//                      again after), so a held message always has an
//                      entry. An instance claims a due student by moving
//                      the time on by a lease, finishes what is held, and
//                      removes the entry once nothing is left, unless
//                      someone moved it meanwhile (a newer message held).
class Inbox {
 public:
  static constexpr const char* kSweepDue = keys::kSweepDue;

  struct Claim {
    std::string openid;
    std::string score;  // the claim's time; the entry is removed only while it holds
  };

  explicit Inbox(redis::Client& redis) : redis_(redis) {}

  // With holding a message of the student (before and after): look at them
  // at `look_at_ms` (after the instance that holds it should have finished
  // it), or at an earlier time already set and not due yet. A time already
  // due becomes `now_ms` + 2 s, so that no sweep looks before the hold lands.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> expect(std::string_view openid, std::int64_t now_ms,
                                                             std::int64_t look_at_ms);

  // The student's held messages, in the order they were sent. One that
  // cannot be read back is dropped with a log line (it could never be
  // committed).
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::vector<wechat::InboundMessage>>> held(std::string_view openid);

  // Up to `limit` students whose time has come, claimed until now + lease.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::vector<Claim>>> claim_due(std::int64_t now_ms,
                                                                               std::int64_t lease_ms, int limit);

  // True when the student has nothing held and no effect waiting.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<bool>> settled(std::string_view openid);

  // Drops the student's entry if it still holds the claim's time.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> release(const Claim& claim);

 private:
  redis::Client& redis_;
};

}  // namespace permit::core
