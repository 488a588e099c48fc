#pragma once

#include "bot/core/metrics.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/server/http_types.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>

namespace permit::handlers {

// /healthz, /readyz and /metrics: for the orchestrator and Prometheus.
class OpsEndpoints {
 public:
  using ConnectionCount = std::function<std::size_t()>;

  OpsEndpoints(redis::Client& redis, core::Metrics& metrics, ConnectionCount connections)
      : redis_(redis), metrics_(metrics), connections_(std::move(connections)) {}

  server::Response health() const;
  boost::asio::awaitable<server::Response> ready();
  server::Response metrics() const;

 private:
  redis::Client& redis_;
  core::Metrics& metrics_;
  ConnectionCount connections_;
};

}  // namespace permit::handlers
