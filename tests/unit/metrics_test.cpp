#include "bot/ops/metrics.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace permit::core {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool has_line(const std::string& text, const std::string& wanted) {
  for (const auto& line : lines_of(text))
    if (line == wanted) return true;
  return false;
}

// The value of the one sample line that starts with `series` followed by a space.
std::string sample(const std::string& text, const std::string& series) {
  std::string found;
  int matches = 0;
  for (const auto& line : lines_of(text))
    if (line.starts_with(series + " ")) {
      found = line.substr(series.size() + 1);
      ++matches;
    }
  EXPECT_EQ(matches, 1) << "series " << series << " in:\n" << text;
  return found;
}

// le label -> cumulative count, in the order rendered.
std::vector<std::pair<std::string, std::uint64_t>> histogram_buckets(const std::string& text) {
  const std::string prefix = "permit_message_handling_seconds_bucket{le=\"";
  std::vector<std::pair<std::string, std::uint64_t>> buckets;
  for (const auto& line : lines_of(text)) {
    if (!line.starts_with(prefix)) continue;
    auto close = line.find("\"} ", prefix.size());
    if (close == std::string::npos) {
      ADD_FAILURE() << "malformed bucket line: " << line;
      continue;
    }
    buckets.emplace_back(line.substr(prefix.size(), close - prefix.size()), std::stoull(line.substr(close + 3)));
  }
  return buckets;
}

TEST(Metrics, CountsResponsesByRouteAndStatus) {
  Metrics metrics;
  metrics.count_response("/wechat", 200);
  metrics.count_response("/wechat", 200);
  metrics.count_response("/wechat", 403);
  metrics.count_response("/healthz", 200);
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="/wechat",status="200"} 2)")) << text;
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="/wechat",status="403"} 1)")) << text;
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="/healthz",status="200"} 1)")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE permit_http_requests_total counter")) << text;
}

TEST(Metrics, UnknownPathsCollapseToOtherRoute) {
  Metrics metrics;
  metrics.count_response("/", 404);
  metrics.count_response("/admin", 404);
  metrics.count_response("/wechat/extra", 404);
  metrics.count_response("/WECHAT", 404);
  metrics.count_response("/metrics", 200);
  const std::string text = metrics.render({});
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="other",status="404"} 4)")) << text;
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="/metrics",status="200"} 1)")) << text;
  EXPECT_EQ(text.find("/admin"), std::string::npos) << text;
  EXPECT_EQ(text.find("/wechat/extra"), std::string::npos) << text;
  EXPECT_EQ(text.find("/WECHAT"), std::string::npos) << text;
}

TEST(Metrics, NoResponsesRendersNoRequestSeries) {
  Metrics metrics;
  const std::string text = metrics.render({});
  EXPECT_EQ(text.find("permit_http_requests_total{"), std::string::npos) << text;
  EXPECT_EQ(sample(text, "permit_message_handling_seconds_count"), "0");
  EXPECT_EQ(sample(text, R"(permit_message_handling_seconds_bucket{le="+Inf"})"), "0");
}

TEST(Metrics, HistogramBucketsAreCumulativeAndMatchCountAndSum) {
  Metrics metrics;
  metrics.observe_message_latency(300us);    // <= 0.0005
  metrics.observe_message_latency(3ms);      // <= 0.005
  metrics.observe_message_latency(5ms);      // exactly on the 0.005 bound: counted there
  metrics.observe_message_latency(2s);       // <= 4
  metrics.observe_message_latency(10s);      // +Inf only
  const std::string text = metrics.render({});

  const std::vector<std::pair<std::string, std::uint64_t>> expected = {
      {"0.0005", 1}, {"0.001", 1}, {"0.0025", 1}, {"0.005", 3}, {"0.01", 3}, {"0.025", 3}, {"0.05", 3},
      {"0.1", 3},    {"0.25", 3},  {"0.5", 3},    {"1", 3},     {"4", 4},    {"+Inf", 5}};
  const auto buckets = histogram_buckets(text);
  EXPECT_EQ(buckets, expected) << text;
  for (std::size_t i = 1; i < buckets.size(); ++i) EXPECT_GE(buckets[i].second, buckets[i - 1].second);

  EXPECT_EQ(sample(text, "permit_message_handling_seconds_count"), "5");
  ASSERT_FALSE(buckets.empty());
  EXPECT_EQ(std::to_string(buckets.back().second), sample(text, "permit_message_handling_seconds_count"));
  EXPECT_NEAR(std::stod(sample(text, "permit_message_handling_seconds_sum")), 12.0083, 1e-3);
  EXPECT_TRUE(has_line(text, "# TYPE permit_message_handling_seconds histogram")) << text;
}

// BUG (bot/ops/metrics.cpp, Metrics::render, the `_sum` line): the sum is
// streamed with the default ostream precision of 6 significant digits, so
// once the running total is large the small observations that make it up
// vanish (100000.001 s renders as "100000"), and rate(_sum)/rate(_count)
// averages drift. Left disabled; see the report.
TEST(Metrics, SumKeepsMillisecondResolutionForLargeTotals) {
  Metrics metrics;
  metrics.observe_message_latency(100000s);
  metrics.observe_message_latency(1ms);
  const std::string text = metrics.render({});
  EXPECT_NEAR(std::stod(sample(text, "permit_message_handling_seconds_sum")), 100000.001, 1e-4) << text;
}

TEST(Metrics, DedupeAndLateRepliesAreCounted) {
  Metrics metrics;
  metrics.count_dedupe_hit();
  metrics.count_dedupe_hit();
  metrics.count_dedupe_hit();
  metrics.count_late_reply();
  const std::string text = metrics.render({});
  EXPECT_EQ(sample(text, "permit_dedupe_hits_total"), "3");
  EXPECT_EQ(sample(text, "permit_late_replies_total"), "1");
  EXPECT_TRUE(has_line(text, "# TYPE permit_dedupe_hits_total counter")) << text;
  EXPECT_TRUE(has_line(text, "# TYPE permit_late_replies_total counter")) << text;
}

TEST(Metrics, GaugesAreRenderedFromTheirArgument) {
  Metrics metrics;
  const std::string up =
      metrics.render({.redis_errors = 7, .redis_connected = true, .open_connections = 12, .script_release = 4});
  EXPECT_EQ(sample(up, "permit_script_release"), "4");
  EXPECT_EQ(sample(up, "permit_redis_errors_total"), "7");
  EXPECT_EQ(sample(up, "permit_redis_connected"), "1");
  EXPECT_EQ(sample(up, "permit_open_connections"), "12");
  EXPECT_TRUE(has_line(up, "# TYPE permit_redis_connected gauge")) << up;
  EXPECT_TRUE(has_line(up, "# TYPE permit_open_connections gauge")) << up;

  const std::string down = metrics.render({.redis_errors = 0, .redis_connected = false, .open_connections = 0});
  EXPECT_EQ(sample(down, "permit_redis_errors_total"), "0");
  EXPECT_EQ(sample(down, "permit_redis_connected"), "0");
  EXPECT_EQ(sample(down, "permit_open_connections"), "0");
}

TEST(Metrics, EveryLineIsCommentOrSample) {
  Metrics metrics;
  metrics.count_response("/readyz", 503);
  metrics.observe_message_latency(1ms);
  for (const auto& line : lines_of(metrics.render({}))) {
    ASSERT_FALSE(line.empty());
    if (line.starts_with("#")) {
      EXPECT_TRUE(line.starts_with("# HELP permit_") || line.starts_with("# TYPE permit_")) << line;
    } else {
      EXPECT_TRUE(line.starts_with("permit_")) << line;
      EXPECT_NE(line.rfind(' '), std::string::npos) << line;
    }
  }
}

TEST(Metrics, ConcurrentCountsAreNotLost) {
  Metrics metrics;
  constexpr int kThreads = 4;
  constexpr int kEach = 2000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        metrics.count_response("/wechat", 200);
        metrics.observe_message_latency(1ms);
        metrics.count_dedupe_hit();
      }
    });
  for (auto& t : threads) t.join();
  const std::string text = metrics.render({});
  const std::string total = std::to_string(kThreads * kEach);
  EXPECT_TRUE(has_line(text, R"(permit_http_requests_total{route="/wechat",status="200"} )" + total)) << text;
  EXPECT_EQ(sample(text, "permit_message_handling_seconds_count"), total);
  EXPECT_EQ(sample(text, "permit_dedupe_hits_total"), total);
}

}  // namespace
}  // namespace permit::core
