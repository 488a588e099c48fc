#pragma once

// The webhook's side of the platform's protocol, without sockets: checks a
// request's signatures, decrypts it in safe mode, reads the message (XML,
// or the JSON push variant), and builds the passive reply, encrypted when
// the request was. handlers/wechat_endpoint.cpp only moves bytes between
// HTTP and these functions. See ../shared/guide/wechat-protocol.md.

#include "bot/wechat/message_cipher.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace permit::wechat {

// The official account's credentials, as configured.
struct Account {
  std::string token;
  std::string appid;
  std::optional<MessageCipher> cipher;  // set when safe mode is configured
  std::int64_t timestamp_skew_seconds = 300;
};

// The query parameters the platform signs a request with.
struct SignedQuery {
  std::optional<std::string> signature, timestamp, nonce;
  std::optional<std::string> msg_signature;  // safe mode: covers the encrypted body too
  std::string encrypt_type;                  // "aes" in safe mode
};

// Why a request is refused: its signature (401), or its body (400).
struct Refusal {
  enum class Kind { unauthorized, bad_request };
  Kind kind;
  std::string reason;
};

// A message whose signatures hold, and how to answer it.
struct Verified {
  InboundMessage message;
  bool safe_mode = false;  // the reply must be encrypted
  bool json = false;       // the JSON push: the reply goes out through the customer-service API
};

// The signature covers token, timestamp and nonce; a timestamp more than
// the account's skew from `now` (unix s) is refused, so a captured request
// cannot be replayed later.
[[nodiscard]] std::optional<Refusal> check_signature(const Account& account, const SignedQuery& query,
                                                     std::int64_t now);

// A POST's body, verified and read.
[[nodiscard]] boost::system::result<Verified, Refusal> read_post(const Account& account, const SignedQuery& query,
                                                                 std::string_view body, std::int64_t now);

// The passive reply to `to` with `text`, encrypted and signed in safe mode.
[[nodiscard]] std::string passive_reply(const Account& account, const Verified& to, const std::string& text,
                                        std::int64_t now);

}  // namespace permit::wechat
