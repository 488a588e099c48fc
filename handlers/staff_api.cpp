#include "handlers/staff_api.hpp"

#include "bot/staff/broadcast_request.hpp"
#include "bot/staff/unanswered_questions.hpp"
#include "bot/util/digest.hpp"
#include "handlers/query_params.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

namespace permit::handlers {
namespace {

using server::http::status;

server::Response unavailable(const boost::system::error_code& ec, unsigned version) {
  return error_response(status::service_unavailable, ec.message(), version);
}

}  // namespace

StaffApi::StaffApi(std::vector<config::ApiToken> tokens, redis::Client& redis, core::Broadcasts& broadcasts,
                   UniversityCheck known_university, core::AuditLog& audit, AdminApi& admin)
    : tokens_(std::move(tokens)),
      redis_(redis),
      broadcasts_(broadcasts),
      known_university_(std::move(known_university)),
      audit_(audit),
      admin_(admin) {}

std::optional<ApiCaller> StaffApi::authenticate(const server::Request& request) const {
  auto header = request[server::http::field::authorization];
  constexpr std::string_view kBearer = "Bearer ";
  if (!header.starts_with(kBearer) || header.size() == kBearer.size()) return std::nullopt;
  const std::string presented = util::sha256_hex(std::string(header.substr(kBearer.size())));
  std::optional<ApiCaller> caller;
  // Every configured hash is compared, so the time taken says nothing.
  for (const auto& t : tokens_)
    if (util::constant_time_equals(presented, t.sha256)) caller = ApiCaller{t.name, t.role};
  return caller;
}

boost::asio::awaitable<server::Response> StaffApi::handle(server::Request request) {
  auto caller = authenticate(request);
  if (!caller) co_return error_response(status::unauthorized, "a valid bearer token is required", request.version());
  co_return co_await handle_as(std::move(request), std::move(*caller));
}

boost::asio::awaitable<server::Response> StaffApi::handle_as(server::Request request, ApiCaller caller_value) {
  const unsigned version = request.version();
  const ApiCaller* caller = &caller_value;
  const std::string path(server::target_path(request.target()));
  if (AdminApi::serves(path)) co_return co_await admin_.handle(request, *caller);
  if (path == "/api/v1/unanswered") {
    if (caller->role != "admin") co_return error_response(status::forbidden, "only admins read the unanswered questions", version);
    co_return co_await unanswered(version);
  }
  constexpr std::string_view kBroadcasts = "/api/v1/broadcasts";
  if (!path.starts_with(kBroadcasts)) co_return error_response(status::not_found, "no such API", version);
  if (caller->role != "staff" && caller->role != "admin")
    co_return error_response(status::forbidden, "this role may not send broadcasts", version);

  if (path == kBroadcasts) {
    if (request.method() != server::http::verb::post) co_return error_response(status::method_not_allowed, "use POST", version);
    co_return co_await create(request, *caller);
  }
  const std::string id = path.substr(kBroadcasts.size() + 1);
  if (path[kBroadcasts.size()] != '/' || id.empty() || id.find_first_not_of("0123456789") != std::string::npos)
    co_return error_response(status::not_found, "no such broadcast", version);
  if (request.method() == server::http::verb::get) {
    auto fields = co_await broadcasts_.status(id);
    if (!fields) co_return unavailable(fields.error(), version);
    if (fields->empty()) co_return error_response(status::not_found, "no such broadcast", version);
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("id");
      w.String(id);
      for (const auto& [k, v] : *fields) {
        w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
        w.String(v);
      }
      w.EndObject();
    });
  }
  if (request.method() == server::http::verb::delete_) {
    auto cancelled = co_await broadcasts_.cancel(id, caller->name);
    if (!cancelled) co_return unavailable(cancelled.error(), version);
    if (*cancelled == core::Broadcasts::Cancelled::no_such_broadcast)
      co_return error_response(status::not_found, "no such broadcast", version);
    auto entry = core::AuditLog::entry(caller->name, caller->role, "broadcast.cancel", "broadcast " + id, "",
                                       "cancelled");
    co_await audit_.record(std::move(entry));
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("id");
      w.String(id);
      w.Key("status");
      w.String("cancelled");
      w.EndObject();
    });
  }
  co_return error_response(status::method_not_allowed, "use GET or DELETE", version);
}

boost::asio::awaitable<server::Response> StaffApi::unanswered(unsigned version) {
  auto questions = co_await core::read_unanswered(redis_);
  if (!questions) co_return unavailable(questions.error(), version);
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("questions");
    w.StartArray();
    for (const auto& q : *questions) {
      w.StartObject();
      w.Key("university");
      w.String(q.university);
      w.Key("lang");
      w.String(q.lang);
      w.Key("text");
      w.String(q.text);
      w.Key("count");
      w.Int(q.count);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

boost::asio::awaitable<server::Response> StaffApi::create(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  rapidjson::Document doc;
  if (auto parsed = json::parse(doc, request.body()); !parsed)
    co_return error_response(status::bad_request, "the body is not valid JSON: " + parsed.message(), version, "/");
  const bool dry_run = QueryParams::parse(request.target()).get_or_empty("dry_run") == "1";
  auto spec = core::read_broadcast_request(doc, dry_run, known_university_);
  if (!spec) co_return bad_field(spec.error(), version);

  if (dry_run) {
    auto preview = co_await broadcasts_.preview(spec->audience);
    if (!preview) co_return unavailable(preview.error(), version);
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("audience");
      w.Uint64(preview->size);
      w.Key("outside_window");
      w.Uint64(preview->outside_window);
      w.Key("sample");
      w.StartArray();
      for (const auto& openid : preview->sample) w.String(openid);
      w.EndArray();
      w.EndObject();
    });
  }
  const std::string what = util::sha256_hex(core::audience_json(spec->audience) + "\n" + spec->text_en + "\n" +
                                            spec->text_zh + "\n" + std::to_string(spec->send_at));
  auto created = co_await broadcasts_.create(std::move(*spec), caller.name);
  if (!created) co_return unavailable(created.error(), version);
  auto entry = core::AuditLog::entry(caller.name, caller.role, "broadcast.create", "broadcast " + created->id, "", what);
  co_await audit_.record(std::move(entry));
  co_return json_answer(status::accepted, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("id");
    w.String(created->id);
    w.Key("status");
    w.String(created->status);
    w.Key("audience");
    w.Uint64(created->audience_size);
    w.EndObject();
  });
}

}  // namespace permit::handlers
