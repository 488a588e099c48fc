#pragma once

#include "bot/wechat/message_cipher.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace permit::testing {

// The settings in config/permit-bot.json, which the tests run the bot with.
inline constexpr const char* kToken = "permitbotdev";
inline constexpr const char* kAppId = "wxpermitbotdev0001";
inline constexpr const char* kAesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";

struct HttpReply {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::string content;  // the reply's Content, decrypted in safe mode
};

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body = "", std::size_t extra_header_bytes = 0);

// Posts messages the way the platform does: signed, and in safe or
// compatible mode encrypted with the account's key.
class WechatClient {
 public:
  enum class Mode { plain, safe, compatible };

  explicit WechatClient(std::uint16_t port, Mode mode = Mode::plain);

  HttpReply send_text(const std::string& openid, std::uint64_t msg_id, const std::string& content,
                      std::int64_t create_time = 0) const;
  HttpReply send_event(const std::string& openid, const std::string& event, const std::string& key,
                       std::int64_t create_time) const;
  // Posts an inner message XML as the platform would in this client's mode.
  HttpReply send_xml(const std::string& inner_xml, std::int64_t timestamp = 0) const;

  std::string signed_query(std::int64_t timestamp, const std::string& nonce) const;

 private:
  std::uint16_t port_;
  Mode mode_;
  wechat::MessageCipher cipher_;
};

std::int64_t unix_now();

}  // namespace permit::testing
