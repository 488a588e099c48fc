#include "bot/ops/metrics.hpp"

#include <sstream>

namespace permit::core {

void Metrics::count_state_kept(std::string_view why) {
  std::size_t i = 0;
  while (i + 1 < kKeptReasons.size() && kKeptReasons[i] != why) ++i;
  states_kept_[i].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::count_response(std::string_view path, unsigned status) {
  std::size_t route = kRoutes.size() - 1;
  for (std::size_t i = 0; i + 1 < kRoutes.size(); ++i)
    if (path == kRoutes[i]) route = i;
  responses_[route][status < kStatuses ? status : 0].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::observe_message_latency(std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  bucket_counts_[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ns_.fetch_add(
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()),
      std::memory_order_relaxed);
  latency_count_.fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::render(const Gauges& gauges) const {
  std::ostringstream out;
  out << "# HELP permit_http_requests_total HTTP responses by route and status.\n"
         "# TYPE permit_http_requests_total counter\n";
  for (std::size_t route = 0; route < kRoutes.size(); ++route)
    for (unsigned status = 0; status < kStatuses; ++status)
      if (auto n = responses_[route][status].load(std::memory_order_relaxed))
        out << "permit_http_requests_total{route=\"" << kRoutes[route] << "\",status=\"" << status << "\"} " << n
            << "\n";
  out << "# HELP permit_message_handling_seconds Time from a message's arrival to its answer.\n"
         "# TYPE permit_message_handling_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += bucket_counts_[i].load(std::memory_order_relaxed);
    out << "permit_message_handling_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += bucket_counts_.back().load(std::memory_order_relaxed);
  // The sum is kept in whole nanoseconds, so it is exact however large.
  const std::uint64_t sum_ns = latency_sum_ns_.load(std::memory_order_relaxed);
  std::string fraction = std::to_string(1'000'000'000ULL + sum_ns % 1'000'000'000ULL).substr(1);
  while (fraction.size() > 1 && fraction.back() == '0') fraction.pop_back();
  out << "permit_message_handling_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "permit_message_handling_seconds_sum " << sum_ns / 1'000'000'000ULL << "." << fraction << "\n"
      << "permit_message_handling_seconds_count " << latency_count_.load(std::memory_order_relaxed) << "\n";
  out << "# HELP permit_redis_errors_total Redis transport failures and error replies.\n"
         "# TYPE permit_redis_errors_total counter\n"
      << "permit_redis_errors_total " << gauges.redis_errors << "\n"
      << "# HELP permit_redis_connected Whether the Redis connection is up.\n"
         "# TYPE permit_redis_connected gauge\n"
      << "permit_redis_connected " << (gauges.redis_connected ? 1 : 0) << "\n"
      << "# HELP permit_dedupe_hits_total Retried messages answered from the stored reply.\n"
         "# TYPE permit_dedupe_hits_total counter\n"
      << "permit_dedupe_hits_total " << dedupe_hits_.load() << "\n"
      << "# HELP permit_late_replies_total Messages not answered in time: held in Redis, reply to the outbound sender.\n"
         "# TYPE permit_late_replies_total counter\n"
      << "permit_late_replies_total " << late_replies_.load() << "\n"
      << "# HELP permit_held_finished_total Held messages a sweep committed (their instance did not).\n"
         "# TYPE permit_held_finished_total counter\n"
      << "permit_held_finished_total " << held_finished_.load() << "\n"
      << "# HELP permit_dialog_state_kept_total Messages whose student's state was kept as it was, by why.\n"
         "# TYPE permit_dialog_state_kept_total counter\n";
  for (std::size_t i = 0; i < kKeptReasons.size(); ++i)
    out << "permit_dialog_state_kept_total{reason=\"" << kKeptReasons[i] << "\"} " << states_kept_[i].load() << "\n";
  out << "# HELP permit_effects_unreadable_total Outbox entries dropped because they cannot be applied.\n"
         "# TYPE permit_effects_unreadable_total counter\n"
      << "permit_effects_unreadable_total " << effects_unreadable_.load() << "\n"
      << "# HELP permit_open_connections Open HTTP connections.\n"
         "# TYPE permit_open_connections gauge\n"
      << "permit_open_connections " << gauges.open_connections << "\n"
      << "# HELP permit_requests_under_way Open HTTP connections with a request under way (the others wait for one).\n"
         "# TYPE permit_requests_under_way gauge\n"
      << "permit_requests_under_way " << gauges.requests_under_way << "\n"
      << "# HELP permit_script_release The script release this instance serves (0: the files, before Redis was read).\n"
         "# TYPE permit_script_release gauge\n"
      << "permit_script_release " << gauges.script_release << "\n";
  return out.str();
}

}  // namespace permit::core
