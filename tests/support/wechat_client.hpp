#pragma once

#include "bot/wechat/message_xml.hpp"
#include "tools/wechat_sim/push_client.hpp"

#include <cstdint>
#include <string>

namespace permit::testing {

// The settings in config/permit-bot.json, which the tests run the bot with.
inline constexpr const char* kToken = "permitbotdev";
inline constexpr const char* kAppId = "wxpermitbotdev0001";
inline constexpr const char* kAesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

using sim::HttpReply;
using sim::unix_now;

inline HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                              const std::string& body = "", std::size_t extra_header_bytes = 0,
                              const std::string& bearer = "") {
  return sim::http_request("127.0.0.1", port, method, target, body, extra_header_bytes, bearer);
}

// A metric's value in Prometheus text (what /metrics or Metrics::render
// gives), or "" when it is not there.
inline std::string metric_value(const std::string& text, const std::string& name) {
  const std::string line_start = "\n" + name + " ";
  auto at = text.find(line_start);
  if (at == std::string::npos) return "";
  at += line_start.size();
  return text.substr(at, text.find('\n', at) - at);
}

// The bot's metric, asked over HTTP.
inline std::string bot_metric(std::uint16_t port, const std::string& name) {
  return metric_value(http_request(port, "GET", "/metrics").body, name);
}

// A text message from a student, as the webhook hands it to the pipeline.
inline wechat::InboundMessage text_message(const std::string& openid, std::uint64_t msg_id, const std::string& text) {
  wechat::InboundMessage m;
  m.to_user = "gh_permitbot";
  m.from_user = openid;
  m.create_time = unix_now();
  m.msg_type = "text";
  m.content = text;
  m.msg_id = msg_id;
  return m;
}

// The platform's pushing side (tools/wechat-sim), aimed at a local bot
// with the test account.
class WechatClient : public sim::PushClient {
 public:
  explicit WechatClient(std::uint16_t port, Mode mode = Mode::plain)
      : PushClient("127.0.0.1", port, sim::Account{kToken, kAppId, kAesKey}, mode) {}
};

}  // namespace permit::testing
