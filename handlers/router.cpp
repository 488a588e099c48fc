#include "handlers/router.hpp"

#include "handlers/query_params.hpp"

namespace permit::handlers {
namespace http = server::http;
using server::make_response;

namespace {

boost::asio::awaitable<server::Response> answered(server::Response response) { co_return response; }

}  // namespace

// Not a coroutine itself: the endpoint's coroutine is handed back as it is,
// so a webhook message goes through no frame of the router's own (a frame
// and a resumption cost about as much as the routing).
boost::asio::awaitable<server::Response> Router::route(server::Request request) {
  const std::string_view path = server::target_path(request.target());
  const http::verb method = request.method();
  if (path == "/wechat") {
    if (method == http::verb::get) return answered(wechat_.handshake(request));
    if (method == http::verb::post) return wechat_.receive(std::move(request));
  } else if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    if (method == http::verb::get) {
      if (path == "/healthz") return answered(ops_.health());
      if (path == "/readyz") return ops_.ready();
      return answered(ops_.metrics());
    }
  } else {
    return answered(make_response(http::status::not_found, "not found\n"));
  }
  return answered(make_response(http::status::method_not_allowed, "method not allowed\n"));
}

}  // namespace permit::handlers
