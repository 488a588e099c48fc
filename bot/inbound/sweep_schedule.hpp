#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace permit::core {

// When a sweep should look at a student this instance holds work of: a
// held message, or effects left in the outbox. By then the instance should
// have finished it itself (its own retries take late_retry_window); if it
// has not (it died, Redis was away too long), a sweep on any instance does.
struct SweepSchedule {
  using WallClock = std::function<std::chrono::system_clock::time_point()>;

  WallClock clock = [] { return std::chrono::system_clock::now(); };
  // After the platform was told "success", transient failures are retried
  // for this long; a sweep looks held_grace after that.
  std::chrono::milliseconds late_retry_window{30000};
  std::chrono::milliseconds held_grace{10000};

  struct Times {
    std::int64_t now_ms;      // unix ms
    std::int64_t look_at_ms;  // unix ms
  };
  Times times() const {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock().time_since_epoch());
    return {now.count(), (now + late_retry_window + held_grace).count()};
  }
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(clock().time_since_epoch()).count();
  }
};

}  // namespace permit::core
