#pragma once

#include "bot/inbound/inbound_pipeline.hpp"
#include "bot/server/http_types.hpp"
#include "bot/wechat/message_cipher.hpp"
#include "handlers/query_params.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace permit::handlers {

struct WechatSettings {
  std::string token;
  std::string appid;
  std::optional<wechat::MessageCipher> cipher;  // set when safe mode is configured
  std::int64_t timestamp_skew_seconds = 300;
};

// POST /wechat and its GET handshake: checks the signature, decrypts in
// safe mode, parses the XML, hands the message to the pipeline, and turns
// its answer into the passive reply.
class WechatEndpoint {
 public:
  using UnixClock = std::function<std::int64_t()>;

  WechatEndpoint(WechatSettings settings, core::InboundPipeline& pipeline, UnixClock clock = default_clock());

  server::Response handshake(const server::Request& request) const;
  boost::asio::awaitable<server::Response> receive(server::Request request);

 private:
  static UnixClock default_clock();
  server::Response reply_xml(const server::Request& request, bool safe_mode, const wechat::InboundMessage& message,
                             const std::string& text) const;

  WechatSettings settings_;
  core::InboundPipeline& pipeline_;
  UnixClock clock_;
};

}  // namespace permit::handlers
