#pragma once

// The Redis keys of the console's dashboard: the one place they are named
// (documented in the README's "The console"). All share the {dash} hash
// tag. Days and hours are China time (UTC+8): the office's day.
//
//   {dash}:day:YYYY-MM-DD         hash: messages, unanswered, h00..h23
//                                 (messages in that hour); 40 days
//   {dash}:active:UNI:YYYY-MM-DD  HyperLogLog of the students of UNI who wrote
//                                 that day; 40 days
//   {dash}:funnel:UNI             hash: walkthrough node -> students there now
//   {dash}:deadlines:UNI          sorted set: student -> the day they must
//                                 apply by (days since 1970-01-01), or their
//                                 permit's expiry where the page sets no rule

#include <string>
#include <string_view>

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
