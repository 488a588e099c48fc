#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace permit::util {

// How an event is written: `permit-bot LEVEL: message` (text), or one JSON
// object {"time","level","message"} (json, for log shippers). Either way
// one line per event: a line break inside a message is written as \n.
enum class LogFormat { text, json };

// Chosen once, at start (the config's log_format); text until then.
void set_log_format(LogFormat format);

// One line to stderr per event, whole even when threads log at once.
void log(std::string_view level, std::string_view message);

// The line log() writes for an event at `at` (with its '\n').
std::string log_line(LogFormat format, std::string_view level, std::string_view message,
                     std::chrono::system_clock::time_point at);

}  // namespace permit::util
