#pragma once

#include "bot/server/http_types.hpp"
#include "handlers/ops_endpoints.hpp"
#include "handlers/wechat_endpoint.hpp"

#include <boost/asio/awaitable.hpp>

namespace permit::handlers {

// Maps method and path to an endpoint.
class Router {
 public:
  Router(WechatEndpoint& wechat, OpsEndpoints& ops) : wechat_(wechat), ops_(ops) {}

  boost::asio::awaitable<server::Response> route(server::Request request);

 private:
  WechatEndpoint& wechat_;
  OpsEndpoints& ops_;
};

}  // namespace permit::handlers
