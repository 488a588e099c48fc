#pragma once

#include "bot/accounts/sign_in.hpp"
#include "bot/server/http_types.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>

namespace permit::handlers {

// /api/v1/session, the console's sign-in:
//   POST   {"name", "password"}  200 {name, role, csrf} and the session cookie;
//          401 bad_credentials (no such account, wrong password or disabled:
//          one answer); 429 locked with Retry-After; 400 bad_request
//   GET    200 {name, role, csrf} of the cookie's session (the console asks on
//          load; the token is readable by our own pages only)
//   DELETE signs out: 204, and the cookie cleared
// The gate (AdminGate) has checked Origin (POST) and the CSRF token (DELETE).
class SessionApi {
 public:
  explicit SessionApi(accounts::SignIn& sign_in) : sign_in_(sign_in) {}

  boost::asio::awaitable<server::Response> handle(server::Request request,
                                                  const std::optional<accounts::Session>& session);

  // The Set-Cookie value for a new session, or one that clears it.
  static std::string cookie(const std::string& token, std::int64_t max_age_seconds, bool secure);

 private:
  boost::asio::awaitable<server::Response> sign_in(const server::Request& request);

  accounts::SignIn& sign_in_;
};

}  // namespace permit::handlers
