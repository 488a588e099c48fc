#include "handlers/router.hpp"

#include "handlers/query_params.hpp"

namespace permit::handlers {
namespace http = server::http;
using server::make_response;

boost::asio::awaitable<server::Response> Router::route(server::Request request) {
  const std::string_view path = server::target_path(request.target());
  const http::verb method = request.method();
  if (path == "/wechat") {
    if (method == http::verb::get) co_return wechat_.handshake(request);
    if (method == http::verb::post) co_return co_await wechat_.receive(std::move(request));
  } else if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    if (method == http::verb::get) {
      if (path == "/healthz") co_return ops_.health();
      if (path == "/readyz") co_return co_await ops_.ready();
      co_return ops_.metrics();
    }
  } else {
    co_return make_response(http::status::not_found, "not found\n");
  }
  co_return make_response(http::status::method_not_allowed, "method not allowed\n");
}

}  // namespace permit::handlers
