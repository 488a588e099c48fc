#pragma once

#include "bot/ops/metrics.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/server/http_types.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace permit::handlers {

// /healthz, /readyz and /metrics: for the orchestrator and Prometheus.
class OpsEndpoints {
 public:
  struct ConnectionCounts {
    std::size_t open = 0;
    std::size_t under_way = 0;  // of those, with a request under way
  };
  using ConnectionCount = std::function<ConnectionCounts()>;
  using ScriptRelease = std::function<std::int64_t()>;

  OpsEndpoints(redis::Client& redis, core::Metrics& metrics, ConnectionCount connections, ScriptRelease release)
      : redis_(redis), metrics_(metrics), connections_(std::move(connections)), release_(std::move(release)) {}

  server::Response health() const;
  boost::asio::awaitable<server::Response> ready();
  server::Response metrics() const;

 private:
  redis::Client& redis_;
  core::Metrics& metrics_;
  ConnectionCount connections_;
  ScriptRelease release_;
};

}  // namespace permit::handlers
