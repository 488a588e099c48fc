#include "handlers/users_api.hpp"

#include "handlers/console_http.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

namespace permit::handlers {
namespace asio = boost::asio;
using server::http::status;
using server::http::verb;

namespace {

status status_of(const std::string& error) {
  if (error == "already_exists") return status::conflict;
  if (error == "no_such_account") return status::not_found;
  if (error == "unavailable") return status::service_unavailable;
  return status::bad_request;
}

server::Response outcome_answer(const accounts::AdminOutcome& outcome, status ok, unsigned version) {
  if (!outcome.ok()) return json_error(status_of(outcome.error), version, outcome.error, outcome.error);
  return json_answer(ok, version, [](JsonWriter& w) {
    w.StartObject();
    w.Key("ok");
    w.Bool(true);
    w.EndObject();
  });
}

std::optional<std::string> string_member(const rapidjson::Value& doc, const char* name) {
  auto it = doc.FindMember(name);
  if (it == doc.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

asio::awaitable<server::Response> UsersApi::handle(server::Request request, accounts::Actor caller) {
  const unsigned version = request.version();
  if (caller.role != "admin") co_return json_error(status::forbidden, version, "forbidden", "only admins manage accounts");
  const std::string path(server::target_path(request.target()));
  if (path == "/api/v1/users" && request.method() == verb::get) co_return co_await list(version);

  rapidjson::Document doc;
  if (auto parsed = json::parse(doc, request.body()); !parsed || !doc.IsObject())
    co_return json_error(status::bad_request, version, "bad_request", "the body must be a JSON object");
  if (path == "/api/v1/users" && request.method() == verb::post) {
    auto name = string_member(doc, "name"), role = string_member(doc, "role"), password = string_member(doc, "password");
    if (!name || !role || !password)
      co_return json_error(status::bad_request, version, "bad_request", "name, role and password are required strings");
    auto outcome = co_await admin_.add(std::move(caller), std::move(*name), std::move(*role), std::move(*password));
    co_return outcome_answer(outcome, status::created, version);
  }
  if (path.size() > 14 && request.method() == verb::patch) {
    accounts::AccountChange change;
    if (auto it = doc.FindMember("disabled"); it != doc.MemberEnd()) {
      if (!it->value.IsBool()) co_return json_error(status::bad_request, version, "bad_request", "disabled: true or false");
      change.disabled = it->value.GetBool();
    }
    if (doc.HasMember("password")) {
      change.password = string_member(doc, "password");
      if (!change.password) co_return json_error(status::bad_request, version, "bad_request", "password: a string");
    }
    auto outcome = co_await admin_.change(std::move(caller), path.substr(14), std::move(change));
    co_return outcome_answer(outcome, status::ok, version);
  }
  co_return json_error(status::method_not_allowed, version, "bad_request", "GET or POST /api/v1/users, PATCH /api/v1/users/NAME");
}

asio::awaitable<server::Response> UsersApi::list(unsigned version) {
  auto accounts = co_await accounts_.list();
  if (!accounts) co_return json_error(status::service_unavailable, version, "unavailable", accounts.error().message());
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("users");
    w.StartArray();
    for (const auto& a : *accounts) {
      w.StartObject();
      for (auto [k, v] : {std::pair{"name", &a.name}, {"role", &a.role}, {"created_at", &a.created_at},
                          {"created_by", &a.created_by}, {"changed_at", &a.changed_at}}) {
        w.Key(k);
        w.String(v->c_str());
      }
      w.Key("disabled");
      w.Bool(a.disabled);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

}  // namespace permit::handlers
