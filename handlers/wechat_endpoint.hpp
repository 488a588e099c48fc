#pragma once

#include "bot/inbound/inbound_pipeline.hpp"
#include "bot/server/http_types.hpp"
#include "bot/wechat/webhook.hpp"
#include "handlers/query_params.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace permit::handlers {


// POST /wechat and its GET handshake: reads the request with
// bot/wechat/webhook.hpp, hands the message to the pipeline, and answers
// with the passive reply.
class WechatEndpoint {
 public:
  using UnixClock = std::function<std::int64_t()>;

  WechatEndpoint(wechat::Account account, core::InboundPipeline& pipeline, UnixClock clock = default_clock());

  server::Response handshake(const server::Request& request) const;
  boost::asio::awaitable<server::Response> receive(server::Request request);

 private:
  static UnixClock default_clock();

  wechat::Account account_;
  core::InboundPipeline& pipeline_;
  UnixClock clock_;
};

}  // namespace permit::handlers
