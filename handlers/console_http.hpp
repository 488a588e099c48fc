#pragma once

// What the console's endpoints share: the session cookie, the same-origin
// check, and the console's JSON error shape.

#include "bot/server/http_types.hpp"
#include "handlers/api_common.hpp"

#include <string>
#include <string_view>

namespace permit::handlers {

inline constexpr std::string_view kSessionCookie = "permit_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// {"error": code, "message": message}: `code` is what the console looks up
// in its catalogues; the message is for people using curl.
server::Response json_error(server::http::status code, unsigned version, std::string_view error,
                            std::string_view message);

// The value of a cookie in the request's Cookie header, or "".
std::string cookie_value(const server::Request& request, std::string_view name);

// Whether the request's Origin header names this very server (scheme and
// the Host the browser used). A browser sends Origin on every POST, PUT,
// PATCH and DELETE, so a change without it is not from our pages.
bool same_origin(const server::Request& request);

// GET, HEAD and OPTIONS change nothing.
bool changes_something(server::http::verb method);

// Whether the connection came through TLS (a terminating proxy says so in
// X-Forwarded-Proto): then the cookie gets Secure.
bool over_tls(const server::Request& request);

}  // namespace permit::handlers
