#include "bot/util/log.hpp"

#include "bot/util/json.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace permit::util {
namespace {

std::atomic<LogFormat> g_format{LogFormat::text};

// UTC, to the millisecond: 2026-12-05T10:31:02.153Z.
std::string iso_time(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // room for any int the compiler imagines
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

}  // namespace

void set_log_format(LogFormat format) { g_format = format; }

std::string log_line(LogFormat format, std::string_view level, std::string_view message,
                     std::chrono::system_clock::time_point at) {
  std::string line;
  if (format == LogFormat::json) {
    // JSON escapes every control character: the object stays on its line.
    const std::string time = iso_time(at);
    return write_json([&](JsonWriter& w) {
             w.StartObject();
             w.Key("time");
             w.String(time.data(), static_cast<rapidjson::SizeType>(time.size()));
             w.Key("level");
             w.String(level.data(), static_cast<rapidjson::SizeType>(level.size()));
             w.Key("message");
             w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
             w.EndObject();
           }) +
           "\n";
  }
  // journald stamps the time itself; a line break would split the event.
  line.reserve(level.size() + message.size() + 16);
  line.append("permit-bot ").append(level).append(": ");
  for (char c : message) {
    if (c == '\n') line.append("\\n");
    else if (c == '\r') line.append("\\r");
    else line.push_back(c);
  }
  line.push_back('\n');
  return line;
}

void log(std::string_view level, std::string_view message) {
  static std::mutex mutex;
  const std::string line = log_line(g_format, level, message, std::chrono::system_clock::now());
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace permit::util
