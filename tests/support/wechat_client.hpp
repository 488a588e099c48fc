#pragma once

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

// The platform's pushing side (tools/wechat-sim), aimed at a local bot
// with the test account.
class WechatClient : public sim::PushClient {
 public:
  explicit WechatClient(std::uint16_t port, Mode mode = Mode::plain)
      : PushClient("127.0.0.1", port, sim::Account{kToken, kAppId, kAesKey}, mode) {}
};

}  // namespace permit::testing
