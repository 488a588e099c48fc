#include "bot/dashboard/tally.hpp"

#include "bot/redis/keys.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/log.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/state_peek.hpp"

#include <chrono>

namespace permit::dashboard {
namespace asio = boost::asio;

std::string Tally::china_date(std::int64_t unix_seconds) {
  return dialogs::iso(dialogs::Date{std::chrono::sys_days{std::chrono::days{util::china_day(unix_seconds)}}});
}

int Tally::china_hour(std::int64_t unix_seconds) {
  return static_cast<int>((unix_seconds + util::kChinaUtcOffset) % 86400 / 3600);
}

std::int64_t Tally::epoch_day(std::string_view iso) {
  const auto date = dialogs::parse_iso(iso);
  return date ? std::chrono::sys_days{*date}.time_since_epoch().count() : -1;
}

void Tally::record(const core::CommittedTurn& turn) {
  const auto before = dialogs::peek_position(turn.before);
  const auto after = dialogs::peek_position(turn.after);
  const std::int64_t day_number = util::china_day(turn.unix_seconds);
  std::lock_guard lock(mutex_);
  if (day_number != cached_day_) {
    cached_day_ = day_number;
    cached_date_ = china_date(turn.unix_seconds);
  }
  const std::string& date = cached_date_;
  auto& day = day_counts_[date];
  ++day.messages;
  ++day.hours[china_hour(turn.unix_seconds)];
  if (!after.university.empty()) {
    auto by_date = active_.find(date);
    if (by_date == active_.end()) by_date = active_.emplace(date, decltype(active_)::mapped_type{}).first;
    auto by_university = by_date->second.find(after.university);
    if (by_university == by_date->second.end())
      by_university = by_date->second.emplace(std::string(after.university), Names{}).first;
    if (by_university->second.find(turn.openid) == by_university->second.end()) by_university->second.insert(turn.openid);
  }
  if (before.university != after.university || before.node != after.node) {
    if (!before.university.empty() && !before.node.empty()) --funnel_[std::string(before.university)][std::string(before.node)];
    if (!after.university.empty() && !after.node.empty()) ++funnel_[std::string(after.university)][std::string(after.node)];
  }
  if (before.university != after.university && !before.university.empty())
    deadlines_[turn.openid] = DeadlineChange{"", -1, std::string(before.university)};
  for (const auto& e : turn.effects) {
    if (e.kind == dialogs::Effect::Kind::record_unanswered) ++day.unanswered;
    if (e.kind == dialogs::Effect::Kind::forget_student && !before.university.empty())
      deadlines_[turn.openid] = DeadlineChange{"", -1, std::string(before.university)};
    if (e.kind == dialogs::Effect::Kind::set_deadline && !e.university.empty()) {
      const std::int64_t by = epoch_day(e.deadline.empty() ? e.date : e.deadline);
      if (by < 0) continue;
      auto& change = deadlines_[turn.openid];
      change.university = e.university;
      change.day = by;
      if (before.university != after.university && !before.university.empty())
        change.drop_from = std::string(before.university);
    }
  }
}

std::vector<std::vector<std::string>> Tally::take_commands() {
  decltype(day_counts_) days;
  decltype(active_) active;
  decltype(funnel_) funnel;
  decltype(deadlines_) deadlines;
  {
    std::lock_guard lock(mutex_);
    days.swap(day_counts_);
    active.swap(active_);
    funnel.swap(funnel_);
    deadlines.swap(deadlines_);
  }
  const std::string ttl = std::to_string(keys::kRetentionDays * 86400);
  std::vector<std::vector<std::string>> out;
  for (const auto& [date, counts] : days) {
    const std::string key = keys::day(date);
    out.push_back({"HINCRBY", key, "messages", std::to_string(counts.messages)});
    if (counts.unanswered) out.push_back({"HINCRBY", key, "unanswered", std::to_string(counts.unanswered)});
    for (int h = 0; h < 24; ++h)
      if (counts.hours[h]) out.push_back({"HINCRBY", key, keys::hour_field(h), std::to_string(counts.hours[h])});
    out.push_back({"EXPIRE", key, ttl});
  }
  for (const auto& [date, universities] : active)
    for (const auto& [university, openids] : universities) {
      const std::string key = keys::active(university, date);
      std::vector<std::string> add{"PFADD", key};
      add.insert(add.end(), openids.begin(), openids.end());
      out.push_back(std::move(add));
      out.push_back({"EXPIRE", key, ttl});
    }
  for (const auto& [university, nodes] : funnel)
    for (const auto& [node, delta] : nodes)
      if (delta != 0) out.push_back({"HINCRBY", keys::funnel(university), node, std::to_string(delta)});
  for (const auto& [openid, change] : deadlines) {
    if (!change.drop_from.empty() && change.drop_from != change.university)
      out.push_back({"ZREM", keys::deadlines(change.drop_from), openid});
    if (change.day >= 0) out.push_back({"ZADD", keys::deadlines(change.university), std::to_string(change.day), openid});
  }
  return out;
}

asio::awaitable<bool> Tally::flush(redis::Client& redis) {
  auto commands = take_commands();
  if (commands.empty()) co_return false;
  const std::size_t count = commands.size();
  auto results = co_await redis::exec_all(redis, std::move(commands));
  std::size_t failed = 0;
  for (const auto& r : results)
    if (!redis::succeeded(r)) ++failed;
  if (failed > 0)
    util::log("warn", "dashboard: " + std::to_string(failed) + " of " + std::to_string(count) +
                          " counter updates failed and were dropped");
  co_return false;
}

}  // namespace permit::dashboard
