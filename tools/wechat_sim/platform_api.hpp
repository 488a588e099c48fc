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
//   47001 malformed JSON, 40003 an openid it does not know.
// Template sends honour client_msg_id as the platform documents it: for
// the same openid and client_msg_id only one message is sent within 10
// minutes; a repeat is answered with success (and the first msgid) and is
// not delivered again. POST /cgi-bin/openapi/quota/get {"cgi_path"} tells
// how many times an API was called today.
// Every message it accepts is recorded with the time it arrived.
//
// Control endpoints for tests and demos (not part of the platform):
//   POST /sim/interaction {"openid"}   the student just wrote: opens the window
//   POST /sim/unsubscribe {"openid"}
//   POST /sim/invalidate-token         as if another client fetched a new token
//   POST /sim/forget {"openid"}        the platform no longer knows the openid
//                                      (account deleted): sends get 40003
//   POST /sim/fail {"openid","errcode"} every send to the openid is answered
//                                      with that errcode (e.g. -1 system busy;
//                                      0: normal answers again); with
//                                      "times": N only the next N sends fail
//   GET  /sim/messages                 everything recorded, as JSON
//   GET  /sim/calls                    every call to a sending API, accepted
//                                      or refused, with the time it arrived
//                                      and the errcode it got, as JSON (the
//                                      platform's limits count refused calls
//                                      too)
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
    std::chrono::seconds client_msg_id_ttl{600};  // the platform's 10 minutes
  };

  struct Record {
    std::int64_t at_ms;
    std::string kind;  // "custom" or "template"
    std::string touser;
    std::string content;  // text content, or the template's data as JSON
    std::string template_id;
    std::string client_msg_id;
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
    bool unknown = false;  // sends get 40003
    int fail_with = 0;     // sends get this errcode
    int fail_times = 0;    // ... this many more times (0: until told otherwise)
  };
  struct Call {  // a call to a sending API, whatever it was answered
    std::int64_t at_ms;
    std::string path;
    int errcode;
  };
  struct Delivered {  // a template send with a client_msg_id
    std::chrono::system_clock::time_point at;
    std::uint64_t msgid;
  };

  server::Response json(int errcode, const std::string& errmsg, const std::string& extra = "") const;
  int check_token(const std::string& token, std::chrono::system_clock::time_point now) const;
  std::string new_token(std::chrono::system_clock::time_point now);
  server::Response send(const server::Request& request, const std::string& kind);
  server::Response messages_json() const;
  server::Response calls_json() const;
  server::Response quota(const server::Request& request, std::chrono::system_clock::time_point now) const;

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
  std::vector<Call> calls_;
  std::map<std::pair<std::string, std::string>, Delivered> client_msg_ids_;  // (openid, client_msg_id)
  std::deque<std::pair<std::chrono::system_clock::time_point, std::pair<std::string, std::string>>> client_msg_order_;
  std::map<std::string, std::int64_t> calls_today_;  // API path -> calls
};

}  // namespace permit::sim
