#pragma once

#include <chrono>
#include <cstdint>

namespace permit::util {

// Seconds since the Unix epoch, by the system clock.
inline std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace permit::util
