#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>

namespace permit::util {

// Seconds since the Unix epoch, by the system clock.
inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// China's clock (UTC+8, no daylight saving): the platform's daily quota
// resets at its midnight, and the dashboard counts days and hours by it.
inline constexpr std::int64_t kChinaUtcOffset = 8 * 3600;
// The day in China at a Unix time, as days since 1970-01-01.
inline std::int64_t china_day(std::int64_t unix_seconds) { return (unix_seconds + kChinaUtcOffset) / 86400; }

// Now as ISO 8601 in UTC, to the second: 2026-11-21T09:00:00Z.
inline std::string iso_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace permit::util
