#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace permit::accounts {

struct Session {
  std::string id;  // SHA-256 of the token: the Redis key's suffix
  std::string name, role;
  std::string csrf;  // sent back by the console in X-CSRF-Token on every change
};

struct OpenedSession {
  Session session;
  std::string token;  // goes into the cookie only; Redis holds its hash
};

struct SessionLimits {
  std::chrono::seconds idle{30 * 60};
  std::chrono::seconds absolute{12 * 3600};
};

// Console sessions in Redis (keys: docs/data-model.md). A session ends
// after `idle` without a request, or `absolute` after it was opened,
// whichever comes first; each use renews the idle expiry within that bound.
class Sessions {
 public:
  explicit Sessions(redis::Client& redis, SessionLimits limits = {}) : redis_(redis), limits_(limits) {}

  boost::asio::awaitable<boost::system::result<OpenedSession>> open(std::string name, std::string role);
  // The session of a cookie token, renewed; nothing if it has ended or never was.
  boost::asio::awaitable<boost::system::result<std::optional<Session>>> find(std::string token);
  boost::asio::awaitable<boost::system::result<void>> close(const Session& session);

  const SessionLimits& limits() const { return limits_; }

 private:
  redis::Client& redis_;
  SessionLimits limits_;
};

// The token's shape: 64 hex characters (32 random bytes).
bool plausible_token(std::string_view token);

}  // namespace permit::accounts
