#include "handlers/staff_api.hpp"

#include "bot/inbound/effect_outbox.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "dialogs/dates.hpp"
#include "handlers/query_params.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace permit::handlers {
namespace {

using server::http::status;

bool iso_date(const std::string& s) { return dialogs::parse_iso(s).has_value(); }

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
    if (!fields) co_return error_response(status::service_unavailable, fields.error().message(), version);
    if (fields->empty()) co_return error_response(status::not_found, "no such broadcast", version);
    std::string body = "{\"id\":" + util::json_quote(id);
    for (const auto& [k, v] : *fields) body += "," + util::json_quote(k) + ":" + util::json_quote(v);
    co_return json_response(status::ok, body + "}", version);
  }
  if (request.method() == server::http::verb::delete_) {
    auto cancelled = co_await broadcasts_.cancel(id, caller->name);
    if (!cancelled) co_return error_response(status::service_unavailable, cancelled.error().message(), version);
    if (*cancelled == core::Broadcasts::Cancelled::no_such_broadcast)
      co_return error_response(status::not_found, "no such broadcast", version);
    auto entry = core::AuditLog::entry(caller->name, caller->role, "broadcast.cancel", "broadcast " + id, "",
                                       "cancelled");
    co_await audit_.record(std::move(entry));
    co_return json_response(status::ok, "{\"id\":" + util::json_quote(id) + ",\"status\":\"cancelled\"}", version);
  }
  co_return error_response(status::method_not_allowed, "use GET or DELETE", version);
}

boost::asio::awaitable<server::Response> StaffApi::unanswered(unsigned version) {
  // The questions the bot could not answer, grouped by university,
  // language and text, most asked first.
  std::vector<std::string> range{"XRANGE", core::EffectOutbox::kUnanswered, "-", "+"};
  auto entries = co_await redis_.exec(std::move(range));
  if (!entries) co_return error_response(status::service_unavailable, entries.error().message(), version);
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  for (auto& [id, f] : redis::stream_entries(*entries)) ++counts[{f["university"], f["lang"], f["text"]}];
  std::vector<std::pair<int, std::tuple<std::string, std::string, std::string>>> sorted;
  for (const auto& [k, n] : counts) sorted.emplace_back(n, k);
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string body = "{\"questions\":[";
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const auto& [n, k] = sorted[i];
    body += std::string(i ? "," : "") + "{\"university\":" + util::json_quote(std::get<0>(k)) +
            ",\"lang\":" + util::json_quote(std::get<1>(k)) + ",\"text\":" + util::json_quote(std::get<2>(k)) +
            ",\"count\":" + std::to_string(n) + "}";
  }
  co_return json_response(status::ok, body + "]}", version);
}

boost::asio::awaitable<server::Response> StaffApi::create(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  rapidjson::Document doc;
  if (auto parsed = json::parse(doc, request.body()); !parsed)
    co_return error_response(status::bad_request, "the body is not valid JSON: " + parsed.message(), version, "/");
  if (!doc.IsObject()) co_return error_response(status::bad_request, "the body must be a JSON object", version, "/");

  core::BroadcastSpec spec;
  if (!doc.HasMember("audience") || !doc["audience"].IsObject())
    co_return error_response(status::bad_request, "an audience object is required", version, "/audience");
  const auto& a = doc["audience"];
  for (const auto& m : a.GetObject()) {
    const std::string name = m.name.GetString();
    const std::string at = "/audience/" + name;
    if (name == "all") {
      if (!m.value.IsBool()) co_return error_response(status::bad_request, "must be true or false", version, at);
      spec.audience.all = m.value.GetBool();
      continue;
    }
    if (!m.value.IsString() || m.value.GetStringLength() == 0)
      co_return error_response(status::bad_request, "must be a non-empty string", version, at);
    const std::string value = m.value.GetString();
    if (name == "university") {
      if (!known_university_(value)) co_return error_response(status::bad_request, "no such university", version, at);
      spec.audience.university = value;
    } else if (name == "step") {
      spec.audience.step = value;
    } else if (name == "expiry_from" || name == "expiry_to") {
      if (!iso_date(value)) co_return error_response(status::bad_request, "must be a date like 2027-03-01", version, at);
      (name == "expiry_from" ? spec.audience.expiry_from : spec.audience.expiry_to) = value;
    } else if (name == "lang") {
      if (value != "en" && value != "zh") co_return error_response(status::bad_request, "must be en or zh", version, at);
      spec.audience.lang = value;
    } else {
      co_return error_response(status::bad_request, "unknown filter", version, at);
    }
  }
  const auto& au = spec.audience;
  if (!au.all && au.university.empty() && au.step.empty() && au.expiry_from.empty() && au.expiry_to.empty() &&
      au.lang.empty())
    co_return error_response(status::bad_request, "give a filter, or \"all\": true", version, "/audience");
  if (!au.expiry_from.empty() && !au.expiry_to.empty() && au.expiry_from > au.expiry_to)
    co_return error_response(status::bad_request, "expiry_from is after expiry_to", version, "/audience/expiry_from");

  const bool dry_run = QueryParams::parse(request.target()).get_or_empty("dry_run") == "1";
  if (!dry_run) {
    if (!doc.HasMember("text") || !doc["text"].IsObject())
      co_return error_response(status::bad_request, "a text object with en and zh is required", version, "/text");
    for (const char* lang : {"en", "zh"}) {
      const auto& t = doc["text"];
      const std::string at = std::string("/text/") + lang;
      if (!t.HasMember(lang) || !t[lang].IsString() || t[lang].GetStringLength() == 0)
        co_return error_response(status::bad_request, "the text is required in both languages", version, at);
      if (t[lang].GetStringLength() > 2000) co_return error_response(status::bad_request, "at most 2000 bytes", version, at);
      (std::string(lang) == "en" ? spec.text_en : spec.text_zh) = t[lang].GetString();
    }
    if (doc.HasMember("send_at")) {
      if (!doc["send_at"].IsInt64() || doc["send_at"].GetInt64() < 0)
        co_return error_response(status::bad_request, "must be a unix time in seconds", version, "/send_at");
      spec.send_at = doc["send_at"].GetInt64();
    }
  }

  if (dry_run) {
    auto preview = co_await broadcasts_.preview(spec.audience);
    if (!preview) co_return error_response(status::service_unavailable, preview.error().message(), version);
    std::string sample;
    for (const auto& s : preview->sample) sample += (sample.empty() ? "" : ",") + util::json_quote(s);
    co_return json_response(status::ok,
                            "{\"audience\":" + std::to_string(preview->size) + ",\"outside_window\":" +
                                std::to_string(preview->outside_window) + ",\"sample\":[" + sample + "]}",
                            version);
  }
  const std::string what = util::sha256_hex(core::audience_json(spec.audience) + "\n" + spec.text_en + "\n" +
                                            spec.text_zh + "\n" + std::to_string(spec.send_at));
  auto created = co_await broadcasts_.create(std::move(spec), caller.name);
  if (!created) co_return error_response(status::service_unavailable, created.error().message(), version);
  auto entry = core::AuditLog::entry(caller.name, caller.role, "broadcast.create", "broadcast " + created->id, "", what);
  co_await audit_.record(std::move(entry));
  co_return json_response(status::accepted,
                 "{\"id\":" + util::json_quote(created->id) + ",\"status\":" + util::json_quote(created->status) +
                     ",\"audience\":" + std::to_string(created->audience_size) + "}",
                 version);
}

}  // namespace permit::handlers
