#include "bot/core/metrics.hpp"

#include <iomanip>
#include <limits>
#include <sstream>

namespace permit::core {
namespace {

// A fixed set of route labels keeps the series count bounded whatever
// paths clients send.
std::string route_label(std::string_view path) {
  for (std::string_view known : {"/wechat", "/healthz", "/readyz", "/metrics"})
    if (path == known) return std::string(known);
  return "other";
}

}  // namespace

void Metrics::count_response(std::string_view path, unsigned status) {
  std::lock_guard lock(mutex_);
  ++responses_[{route_label(path), status}];
}

void Metrics::observe_message_latency(std::chrono::steady_clock::duration elapsed) {
  double seconds = std::chrono::duration<double>(elapsed).count();
  std::lock_guard lock(mutex_);
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  ++bucket_counts_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

std::string Metrics::render(const Gauges& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP permit_http_requests_total HTTP responses by route and status.\n"
         "# TYPE permit_http_requests_total counter\n";
  for (const auto& [key, count] : responses_)
    out << "permit_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << count
        << "\n";
  out << "# HELP permit_message_handling_seconds Time from a message's arrival to its answer.\n"
         "# TYPE permit_message_handling_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += bucket_counts_[i];
    out << "permit_message_handling_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cumulative << "\n";
  }
  cumulative += bucket_counts_.back();
  out << "permit_message_handling_seconds_bucket{le=\"+Inf\"} " << cumulative << "\n"
      << "permit_message_handling_seconds_sum " << std::setprecision(std::numeric_limits<double>::max_digits10)
      << latency_sum_ << std::setprecision(6) << "\n"
      << "permit_message_handling_seconds_count " << latency_count_ << "\n";
  out << "# HELP permit_redis_errors_total Redis transport failures and error replies.\n"
         "# TYPE permit_redis_errors_total counter\n"
      << "permit_redis_errors_total " << gauges.redis_errors << "\n"
      << "# HELP permit_redis_connected Whether the Redis connection is up.\n"
         "# TYPE permit_redis_connected gauge\n"
      << "permit_redis_connected " << (gauges.redis_connected ? 1 : 0) << "\n"
      << "# HELP permit_dedupe_hits_total Retried messages answered from the stored reply.\n"
         "# TYPE permit_dedupe_hits_total counter\n"
      << "permit_dedupe_hits_total " << dedupe_hits_.load() << "\n"
      << "# HELP permit_late_replies_total Replies not ready in time, queued for the outbound sender.\n"
         "# TYPE permit_late_replies_total counter\n"
      << "permit_late_replies_total " << late_replies_.load() << "\n"
      << "# HELP permit_open_connections Open HTTP connections.\n"
         "# TYPE permit_open_connections gauge\n"
      << "permit_open_connections " << gauges.open_connections << "\n";
  return out.str();
}

}  // namespace permit::core
