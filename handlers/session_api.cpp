#include "handlers/session_api.hpp"

#include "handlers/console_http.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

namespace permit::handlers {
namespace asio = boost::asio;
using server::http::status;
using server::http::verb;

namespace {

server::Response session_answer(unsigned version, const accounts::Session& s) {
  return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("name");
    w.String(s.name.c_str());
    w.Key("role");
    w.String(s.role.c_str());
    w.Key("csrf");
    w.String(s.csrf.c_str());
    w.EndObject();
  });
}

}  // namespace

std::string SessionApi::cookie(const std::string& token, std::int64_t max_age_seconds, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_seconds) + (secure ? "; Secure" : "");
}

asio::awaitable<server::Response> SessionApi::handle(server::Request request,
                                                     const std::optional<accounts::Session>& session) {
  const unsigned version = request.version();
  if (request.method() == verb::post) co_return co_await sign_in(request);
  if (!session) co_return json_error(status::unauthorized, version, "signed_out", "no session; sign in first");
  if (request.method() == verb::get) co_return session_answer(version, *session);
  if (request.method() == verb::delete_) {
    auto closed = co_await sign_in_.sign_out(*session);
    if (!closed) co_return json_error(status::service_unavailable, version, "unavailable", closed.error().message());
    auto answer = server::make_response(status::no_content, "", version);
    answer.set(server::http::field::set_cookie, cookie("", 0, over_tls(request)));
    co_return answer;
  }
  co_return json_error(status::method_not_allowed, version, "bad_request", "use GET, POST or DELETE");
}

asio::awaitable<server::Response> SessionApi::sign_in(const server::Request& request) {
  const unsigned version = request.version();
  rapidjson::Document doc;
  if (auto parsed = json::parse(doc, request.body()); !parsed || !doc.IsObject())
    co_return json_error(status::bad_request, version, "bad_request", "the body must be a JSON object");
  auto name_it = doc.FindMember("name");
  auto password_it = doc.FindMember("password");
  if (name_it == doc.MemberEnd() || !name_it->value.IsString() || password_it == doc.MemberEnd() ||
      !password_it->value.IsString())
    co_return json_error(status::bad_request, version, "bad_request", "name and password are required strings");
  // Names are stored in lower case; people type them as they like.
  std::string name(name_it->value.GetString(), name_it->value.GetStringLength());
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  name.erase(0, name.find_first_not_of(' '));
  name.erase(name.find_last_not_of(' ') + 1);
  if (name.size() > 64) name.resize(64);  // a key part; longer names exist nowhere anyway
  std::string password(password_it->value.GetString(), password_it->value.GetStringLength());
  std::string address(request[server::kPeerHeader]);

  auto outcome = co_await sign_in_.sign_in(std::move(name), std::move(password), std::move(address));
  using Kind = accounts::SignInOutcome::Kind;
  switch (outcome.kind) {
    case Kind::signed_in: {
      auto answer = session_answer(version, outcome.opened.session);
      // The cookie outlives no session: 12 h at most (Redis ends it sooner when idle).
      answer.set(server::http::field::set_cookie, cookie(outcome.opened.token, 12 * 3600, over_tls(request)));
      co_return answer;
    }
    case Kind::refused:
      co_return json_error(status::unauthorized, version, "bad_credentials", "wrong name or password");
    case Kind::locked: {
      auto answer = json_answer(status::too_many_requests, version, [&](JsonWriter& w) {
        w.StartObject();
        w.Key("error");
        w.String("locked");
        w.Key("message");
        w.String("too many failed sign-ins; try again later");
        w.Key("retry_after");
        w.Int64(outcome.retry_after);
        w.EndObject();
      });
      answer.set(server::http::field::retry_after, std::to_string(outcome.retry_after));
      co_return answer;
    }
    case Kind::unavailable:
      break;
  }
  co_return json_error(status::service_unavailable, version, "unavailable", "the store cannot be reached");
}

}  // namespace permit::handlers
