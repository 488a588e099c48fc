#pragma once

#include "bot/wechat/message_cipher.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace permit::sim {

// The official account's secrets, as configured on the platform.
struct Account {
  std::string token;
  std::string appid;
  std::string aes_key;  // EncodingAESKey; needed for safe and compatible modes
};

struct HttpReply {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::string content;  // the reply's Content, decrypted in safe mode
};

// Connect, write and read within `timeout` (generous by default: a test
// that hangs says less than one that fails).
HttpReply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& target, const std::string& body = "", std::size_t extra_header_bytes = 0,
                       const std::string& bearer = "", std::chrono::milliseconds timeout = std::chrono::seconds(60));

std::int64_t unix_now();

// The platform's pushing side: posts messages to the bot's webhook signed,
// and in safe or compatible mode encrypted, exactly as the platform does,
// and reads the passive reply back.
class PushClient {
 public:
  enum class Mode { plain, safe, compatible };

  PushClient(std::string host, std::uint16_t port, Account account, Mode mode = Mode::plain);

  HttpReply send_text(const std::string& openid, std::uint64_t msg_id, const std::string& content,
                      std::int64_t create_time = 0) const;
  // A voice message, with the platform's recognition of it or (nullopt)
  // without any.
  HttpReply send_voice(const std::string& openid, std::uint64_t msg_id, std::optional<std::string> recognition,
                       std::int64_t create_time = 0) const;
  HttpReply send_event(const std::string& openid, const std::string& event, const std::string& key,
                       std::int64_t create_time) const;
  // Posts an inner message XML as the platform would in this client's mode.
  HttpReply send_xml(const std::string& inner_xml, std::int64_t timestamp = 0) const;

  std::string signed_query(std::int64_t timestamp, const std::string& nonce) const;

  // How long one attempt waits for the answer. The platform gives up after
  // 5 s (and retries); the default waits longer, for slow test machines.
  void answer_timeout(std::chrono::milliseconds timeout) { answer_timeout_ = timeout; }

 private:
  std::string reply_content(const std::string& body) const;

  std::string host_;
  std::uint16_t port_;
  Account account_;
  Mode mode_;
  std::optional<wechat::MessageCipher> cipher_;
  std::chrono::milliseconds answer_timeout_{std::chrono::seconds(60)};
};

}  // namespace permit::sim
