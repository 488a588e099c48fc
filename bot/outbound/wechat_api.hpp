#pragma once

#include "bot/redis/keys.hpp"
#include "bot/outbound/http_client.hpp"
#include "bot/outbound/rate_limiter.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace permit::outbound {

struct ApiOptions {
  BaseUrl base;  // https://api.weixin.qq.com by default
  std::string appid;
  std::string secret;
  std::string instance;  // names the token lease holder
};

// The platform's answer to a send: errcode 0 is success. A transport
// failure (no answer at all) is an error_code instead.
struct SendOutcome {
  int errcode = 0;
  std::string errmsg;
};

// What stable_token answered: the token, and how long it lives.
struct TokenAnswer {
  std::string access_token;
  std::int64_t expires_in = 7200;
};

// The platform's answers, read as outside input (bounded JSON). An answer
// without what it must hold is bad_message.
[[nodiscard]] boost::system::result<TokenAnswer> read_token_answer(std::string_view body);
[[nodiscard]] boost::system::result<SendOutcome> read_send_answer(std::string_view body);

// Sends through the platform's API with one access token shared by every
// instance: stable_token, cached in Redis under {outbound}:access-token
// until shortly before it expires. Only the instance holding the
// {outbound}:token-lease fetches a new one; the others wait for it. A send
// refused for its token (40001, 40014, 42001) drops that token, fetches a
// fresh one and is retried once.
//
// Every call to a sending API waits for its slot at the shared rate limit
// first, the retry after a token error too: the platform counts refused
// calls against its limits like any other. A limiter that cannot reach
// Redis fails the send with the Redis error, before anything is sent.
class WechatApi {
 public:
  static constexpr const char* kTokenKey = keys::kAccessToken;
  static constexpr const char* kLeaseKey = keys::kTokenLease;

  WechatApi(redis::Client& redis, HttpClient& http, RateLimiter& limiter, ApiOptions options);

  [[nodiscard]] boost::asio::awaitable<boost::system::result<SendOutcome>> send_text(std::string openid, std::string content);
  // client_msg_id: the platform's anti-reentry key (at most 64 bytes): for
  // the same openid and key it sends one message within 10 minutes and
  // answers a repeat with success. Give the same key to every attempt of
  // one message.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<SendOutcome>> send_template(std::string openid, std::string template_id,
                                                                           std::string data_json,
                                                                           std::string client_msg_id);

 private:
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::string>> access_token();
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::string>> fetch_token();
  boost::asio::awaitable<void> drop_token(const std::string& token);
  [[nodiscard]] boost::asio::awaitable<boost::system::result<SendOutcome>> post(std::string path, std::string body);

  redis::Client& redis_;
  HttpClient& http_;
  RateLimiter& limiter_;
  ApiOptions options_;
};

bool is_token_error(int errcode);
// Answers about the recipient that no retry can change: 40003 (the platform
// does not know the openid), 43101 (the student refused the messages).
bool is_permanent_error(int errcode);

}  // namespace permit::outbound
