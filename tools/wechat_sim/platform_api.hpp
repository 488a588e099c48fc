#pragma once

#include "bot/server/http_types.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace permit::sim {

// The WeChat platform's sending API, as the bot sees it: access tokens
// (/cgi-bin/token, /cgi-bin/stable_token), customer-service messages and
// template messages, with the platform's JSON and error codes:
//   40001 invalid token (a newer token was fetched), 42001 token expired,
//   41001 token missing, 40013 wrong appid, 40125 wrong secret,
//   43004 not subscribed, 45015 outside the 48-hour window, 45047 more than
//   5 messages in the window, 45011 per-minute limit, 45009 daily quota,
//   47001 malformed JSON.
// Every message it accepts is recorded with the time it arrived.
//
// Control endpoints for tests and demos (not part of the platform):
//   POST /sim/interaction {"openid"}   the student just wrote: opens the window
//   POST /sim/unsubscribe {"openid"}
//   POST /sim/invalidate-token         as if another client fetched a new token
//   GET  /sim/messages                 everything recorded, as JSON
class PlatformApi {
 public:
  struct Options {
    std::string appid;
    std::string secret;
    int per_minute_limit = 0;  // 0: none
    int daily_quota = 0;       // 0: none
    int window_messages = 5;
    std::chrono::seconds window{48 * 3600};
    std::chrono::seconds token_ttl{7200};
  };

  struct Record {
    std::int64_t at_ms;
    std::string kind;  // "custom" or "template"
    std::string touser;
    std::string content;  // text content, or the template's data as JSON
    std::string template_id;
  };

  using Clock = std::function<std::chrono::system_clock::time_point()>;

  explicit PlatformApi(Options options, Clock clock = [] { return std::chrono::system_clock::now(); });

  server::Response handle(const server::Request& request);

  std::vector<Record> records() const;

 private:
  struct Student {
    std::chrono::system_clock::time_point last_interaction{};
    int sent_in_window = 0;
    bool unsubscribed = false;
  };

  server::Response json(int errcode, const std::string& errmsg, const std::string& extra = "") const;
  int check_token(const std::string& token, std::chrono::system_clock::time_point now) const;
  std::string new_token(std::chrono::system_clock::time_point now);
  server::Response send(const server::Request& request, const std::string& kind);
  server::Response messages_json() const;

  Options options_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::string token_;
  std::chrono::system_clock::time_point token_expiry_{};
  std::set<std::string> old_tokens_;
  std::uint64_t token_serial_ = 0;
  std::map<std::string, Student> students_;
  std::deque<std::chrono::system_clock::time_point> last_minute_;
  int sent_today_ = 0;
  std::uint64_t next_msgid_ = 1;
  std::vector<Record> records_;
};

}  // namespace permit::sim
