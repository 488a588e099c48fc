#include "handlers/ops_endpoints.hpp"

namespace permit::handlers {
namespace http = server::http;
using server::make_response;

server::Response OpsEndpoints::health() const { return make_response(http::status::ok, "ok\n"); }

boost::asio::awaitable<server::Response> OpsEndpoints::ready() {
  // A real round trip: "connected" alone would miss a server that hangs.
  std::vector<std::string> ping{"PING"};
  auto pong = co_await redis_.exec(std::move(ping));
  if (!pong || pong->is_error())
    co_return make_response(http::status::service_unavailable, "redis unreachable\n");
  co_return make_response(http::status::ok, "ready\n");
}

server::Response OpsEndpoints::metrics() const {
  const auto connections = connections_();
  core::Metrics::Gauges gauges{.redis_errors = redis_.error_count(),
                               .redis_connected = redis_.connected(),
                               .open_connections = connections.open,
                               .requests_under_way = connections.under_way,
                               .script_release = release_()};
  return make_response(http::status::ok, metrics_.render(gauges), 11, "text/plain; version=0.0.4");
}

}  // namespace permit::handlers
