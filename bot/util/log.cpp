#include "bot/util/log.hpp"

#include <cstdio>
#include <mutex>
#include <string>

namespace permit::util {

void log(std::string_view level, std::string_view message) {
  static std::mutex mutex;
  std::string line;
  line.reserve(level.size() + message.size() + 16);
  line.append("permit-bot ").append(level).append(": ").append(message).push_back('\n');
  std::lock_guard lock(mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace permit::util
