#include "handlers/admin_gate.hpp"

#include "bot/util/digest.hpp"
#include "handlers/console_http.hpp"

namespace permit::handlers {
namespace asio = boost::asio;
namespace http = server::http;
using http::status;

void AdminGate::add_security_headers(server::Response& response) {
  // The console's script and styles are files of its own: no inline script,
  // no eval, nothing from elsewhere.
  response.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'");
  response.set(http::field::x_frame_options, "DENY");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
  if (response[http::field::cache_control].empty()) response.set(http::field::cache_control, "no-store");
}

asio::awaitable<server::Response> AdminGate::handle(server::Request request) {
  const unsigned version = request.version();
  const bool changes = changes_something(request.method());
  // Before anything of this request is written: WAIT must run on the
  // connection the writes went through.
  const auto ticket = replicas_ ? replicas_->ticket() : redis::ReplicaAcks::Ticket{0};
  auto response = co_await route(std::move(request));
  if (replicas_ && changes && response.result_int() / 100 == 2) {
    auto confirmed = co_await replicas_->confirm(ticket);
    if (!confirmed)
      response = json_error(status::service_unavailable, version, "unconfirmed",
                            "the change was made, but no replica has confirmed it yet (" +
                                confirmed.error().message() + "): reload before you repeat it");
  }
  add_security_headers(response);
  co_return response;
}

asio::awaitable<server::Response> AdminGate::route(server::Request request) {
  const unsigned version = request.version();
  const std::string path(server::target_path(request.target()));
  if (path == "/") {
    auto moved = server::make_response(status::found, "", version);
    moved.set(http::field::location, "/console/");
    co_return moved;
  }
  if (path == "/console" || path.starts_with("/console/")) co_return files_.serve(request);
  if (!path.starts_with("/api/")) co_return json_error(status::not_found, version, "not_found", "no such API");

  // A token from the config: scripts and permit-botctl, as before.
  ApiCaller caller;
  if (!request[http::field::authorization].empty()) {
    auto known = staff_.authenticate(request);
    if (!known) co_return json_error(status::unauthorized, version, "signed_out", "a valid bearer token is required");
    caller = std::move(*known);
  } else {
    std::optional<accounts::Session> session;
    if (const std::string token = cookie_value(request, kSessionCookie); !token.empty()) {
      auto found = co_await sessions_.find(token);
      if (!found) co_return json_error(status::service_unavailable, version, "unavailable", found.error().message());
      session = std::move(*found);
    }
    // Signing in has no session yet: its Origin is what is checked. Anything
    // else without a session is 401 (nothing to forge), and a change with
    // one needs both the Origin and the session's token.
    const bool changes = changes_something(request.method());
    if (path == "/api/v1/session" && request.method() == http::verb::post) {
      if (!same_origin(request))
        co_return json_error(status::forbidden, version, "csrf", "sign in from the console's own page (Origin)");
      co_return co_await session_.handle(std::move(request), session);
    }
    if (!session) co_return json_error(status::unauthorized, version, "signed_out", "sign in first");
    if (changes && !same_origin(request))
      co_return json_error(status::forbidden, version, "csrf", "a change must come from the console's own pages (Origin)");
    if (changes && !util::constant_time_equals(request[kCsrfHeader], session->csrf))
      co_return json_error(status::forbidden, version, "csrf", "the X-CSRF-Token header is missing or wrong");
    if (path == "/api/v1/session") co_return co_await session_.handle(std::move(request), session);
    caller = ApiCaller{session->name, session->role};
  }

  if (UsersApi::serves(path)) {
    accounts::Actor actor{caller.name, caller.role};  // named: no class temporary inside co_await (GCC 12)
    co_return co_await users_.handle(std::move(request), std::move(actor));
  }
  if (ConsoleApi::serves(request)) {
    if (caller.role != "staff" && caller.role != "admin")
      co_return json_error(status::forbidden, version, "forbidden", "this role may not read this");
    co_return co_await console_.handle(std::move(request));
  }
  co_return co_await staff_.handle_as(std::move(request), std::move(caller));
}

}  // namespace permit::handlers
