#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace permit::core {

// Process metrics in the Prometheus text format. Counting is lock-free: it
// happens on every request, from every thread.
class Metrics {
 public:
  struct Gauges {
    std::uint64_t redis_errors = 0;
    bool redis_connected = false;
    std::size_t open_connections = 0;
    // Of those, the ones with a request under way (the others wait for one,
    // and give way when the listener is full).
    std::size_t requests_under_way = 0;
    std::int64_t script_release = 0;  // the script release this instance serves
  };

  void count_response(std::string_view path, unsigned status);
  void observe_message_latency(std::chrono::steady_clock::duration elapsed);
  void count_dedupe_hit() { dedupe_hits_.fetch_add(1, std::memory_order_relaxed); }
  void count_late_reply() { late_replies_.fetch_add(1, std::memory_order_relaxed); }
  void count_held_finished() { held_finished_.fetch_add(1, std::memory_order_relaxed); }
  void count_effect_unreadable() { effects_unreadable_.fetch_add(1, std::memory_order_relaxed); }
  // A turn that kept the student's stored state (dialogs::Outcome::kept).
  void count_state_kept(std::string_view why);

  std::string render(const Gauges& gauges) const;

 private:
  // A fixed set of route labels keeps the series count bounded whatever
  // paths clients send; the last one is "other".
  static constexpr std::array<std::string_view, 5> kRoutes = {"/wechat", "/healthz", "/readyz", "/metrics", "other"};
  static constexpr unsigned kStatuses = 600;
  // Upper bounds in seconds; the platform's budget is 5 s.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  4.0};

  std::array<std::array<std::atomic<std::uint64_t>, kStatuses>, kRoutes.size()> responses_{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> bucket_counts_{};  // last is +Inf
  std::atomic<std::uint64_t> latency_sum_ns_{0};
  std::atomic<std::uint64_t> latency_count_{0};
  std::atomic<std::uint64_t> dedupe_hits_{0};
  std::atomic<std::uint64_t> late_replies_{0};
  std::atomic<std::uint64_t> held_finished_{0};
  std::atomic<std::uint64_t> effects_unreadable_{0};
  static constexpr std::array<std::string_view, 4> kKeptReasons = {"unreadable", "too_large", "failed", "other"};
  std::array<std::atomic<std::uint64_t>, kKeptReasons.size()> states_kept_{};
};

}  // namespace permit::core
