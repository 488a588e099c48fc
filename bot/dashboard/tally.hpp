#pragma once

#include "bot/inbound/commit_observer.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace permit::dashboard {

// The dashboard's figures, kept as messages are committed: each instance
// adds up what its messages change in memory (record, on the webhook's
// path: a lock and a few map updates, no Redis), and every second sends the
// sums as one pipelined batch of HINCRBY, PFADD, ZADD and ZREM (flush).
// Instances add up, so any number of them count right.
//
// What a message changes: the messages of its hour and day; the day's
// unanswered questions; the student as active at their university that
// day; the walkthrough funnel (one fewer at the node left, one more at the
// node reached); and the student's deadline (set_deadline), dropped when
// they change university or ask to be forgotten.
//
// Best effort, by design: a batch that fails is logged and dropped, not
// retried (an increment sent twice would count twice); a crash loses at
// most the last second. The funnel may drift by those; the rest are
// per-day counts.
class Tally {
 public:
  void record(const core::CommittedTurn& turn);

  // The pending sums as Redis commands, and forgets them.
  std::vector<std::vector<std::string>> take_commands();
  // Sends them (the periodic job). Returns false.
  boost::asio::awaitable<bool> flush(redis::Client& redis);

  // "YYYY-MM-DD" and hour (0-23) in China time.
  static std::string china_date(std::int64_t unix_seconds);
  static int china_hour(std::int64_t unix_seconds);
  static std::int64_t epoch_day(std::string_view iso_date);  // -1 if not a date

 private:
  std::mutex mutex_;
  // The date text of the day last seen (China time): formatting it for
  // every message cost more than the rest of record together.
  std::int64_t cached_day_ = -1;
  std::string cached_date_;
  struct DayCounts {
    std::int64_t messages = 0, unanswered = 0;
    std::int64_t hours[24] = {};
  };
  std::map<std::string, DayCounts> day_counts_;  // date -> counts
  // date -> university -> openids; looked up by view, so a student already
  // counted this second costs no allocation.
  using Names = std::set<std::string, std::less<>>;
  std::map<std::string, std::map<std::string, Names, std::less<>>, std::less<>> active_;
  std::map<std::string, std::map<std::string, std::int64_t>> funnel_;      // university -> node -> delta
  struct DeadlineChange {
    std::string university;  // where to add it
    std::int64_t day = -1;   // -1: only drop it
    std::string drop_from;   // where to drop it ("": nowhere)
  };
  std::map<std::string, DeadlineChange> deadlines_;  // openid -> the last change
};

}  // namespace permit::dashboard
