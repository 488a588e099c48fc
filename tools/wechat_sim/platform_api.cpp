#include "tools/wechat_sim/platform_api.hpp"

#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "handlers/query_params.hpp"
#include "json/parse.hpp"

#include <algorithm>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::sim {
namespace {

using server::http::status;
using TimePoint = std::chrono::system_clock::time_point;

}  // namespace

PlatformApi::PlatformApi(Options options, Clock clock) : options_(std::move(options)), clock_(std::move(clock)) {}

server::Response PlatformApi::json(int errcode, const std::string& errmsg, const std::string& extra) const {
  std::string body = "{\"errcode\":" + std::to_string(errcode) + ",\"errmsg\":" + util::json_quote(errmsg) + extra + "}";
  return server::make_response(status::ok, std::move(body), 11, "application/json");
}

std::string PlatformApi::new_token(TimePoint now) {
  if (!token_.empty()) old_tokens_.insert(token_);
  const std::string serial = std::to_string(++token_serial_);
  token_ = "simtoken-" + serial + "-" + util::sha1_hex(serial + options_.secret).substr(0, 16);
  token_expiry_ = now + options_.token_ttl;
  return token_;
}

int PlatformApi::check_token(const std::string& token, TimePoint now) const {
  if (token.empty()) return 41001;
  if (token == token_) return now < token_expiry_ ? 0 : 42001;
  return 40001;  // unknown, or replaced by a newer one
}

std::vector<PlatformApi::Record> PlatformApi::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

server::Response PlatformApi::send(const server::Request& request, const std::string& kind) {
  const auto now = clock_();
  auto query = handlers::QueryParams::parse(request.target());
  if (int code = check_token(query.get_or_empty("access_token"), now)) {
    static const std::map<int, std::string> messages = {
        {41001, "access_token missing"}, {40001, "invalid credential, access_token is invalid or not latest"},
        {42001, "access_token expired"}};
    return json(code, messages.at(code));
  }
  rapidjson::Document doc;
  if (!permit::json::parse(doc, request.body()) || !doc.IsObject()) return json(47001, "data format error");
  const std::string touser = util::string_field(doc, "touser");
  if (touser.empty()) return json(40003, "invalid openid");
  Record record{std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count(), kind, touser,
                "", "", ""};
  if (kind == "custom") {
    if (util::string_field(doc, "msgtype") != "text" || !doc.HasMember("text")) return json(40008, "invalid message type");
    record.content = util::string_field(doc["text"], "content");
  } else {
    record.template_id = util::string_field(doc, "template_id");
    if (record.template_id.empty()) return json(40037, "invalid template_id");
    if (doc.HasMember("data")) record.content = util::to_json(doc["data"]);
  }

  auto& student = students_[touser];
  if (student.unknown) return json(40003, "invalid openid");
  if (student.fail_with != 0) {
    const int errcode = student.fail_with;
    if (student.fail_times > 0 && --student.fail_times == 0) student.fail_with = 0;
    return json(errcode, "system error");
  }
  // The platform's anti-reentry key: one message per (openid,
  // client_msg_id) within 10 minutes; a repeat succeeds without a message.
  const std::string client_msg_id = kind == "template" ? util::string_field(doc, "client_msg_id") : "";
  while (!client_msg_order_.empty() && now - client_msg_order_.front().first >= options_.client_msg_id_ttl) {
    auto it = client_msg_ids_.find(client_msg_order_.front().second);
    if (it != client_msg_ids_.end() && it->second.at == client_msg_order_.front().first) client_msg_ids_.erase(it);
    client_msg_order_.pop_front();
  }
  if (!client_msg_id.empty()) {
    if (client_msg_id.size() > 64) return json(40003, "invalid client_msg_id");  // the platform's length limit
    auto it = client_msg_ids_.find({touser, client_msg_id});
    if (it != client_msg_ids_.end()) return json(0, "ok", ",\"msgid\":" + std::to_string(it->second.msgid));
  }
  record.client_msg_id = client_msg_id;
  if (student.unsubscribed) return json(43004, "require subscribe");
  if (kind == "custom") {
    if (student.last_interaction == TimePoint{} || now - student.last_interaction > options_.window)
      return json(45015, "response out of time limit or subscription is canceled");
    if (student.sent_in_window >= options_.window_messages) return json(45047, "out of response count limit");
  }
  while (!last_minute_.empty() && now - last_minute_.front() >= std::chrono::minutes(1)) last_minute_.pop_front();
  if (options_.per_minute_limit > 0 && static_cast<int>(last_minute_.size()) >= options_.per_minute_limit)
    return json(45011, "api minute-quota reach limit");
  if (options_.daily_quota > 0 && sent_today_ >= options_.daily_quota) return json(45009, "reach max api daily quota limit");

  last_minute_.push_back(now);
  ++sent_today_;
  if (kind == "custom") ++student.sent_in_window;
  records_.push_back(std::move(record));
  if (kind == "template") {
    const std::uint64_t msgid = next_msgid_++;
    if (!client_msg_id.empty()) {
      client_msg_ids_[{touser, client_msg_id}] = Delivered{now, msgid};
      client_msg_order_.push_back({now, {touser, client_msg_id}});
    }
    return json(0, "ok", ",\"msgid\":" + std::to_string(msgid));
  }
  return json(0, "ok");
}

server::Response PlatformApi::messages_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const auto& r : records_) {
    w.StartObject();
    w.Key("at_ms");
    w.Int64(r.at_ms);
    w.Key("kind");
    w.String(r.kind.c_str());
    w.Key("touser");
    w.String(r.touser.c_str());
    w.Key("content");
    w.String(r.content.c_str(), static_cast<rapidjson::SizeType>(r.content.size()));
    w.Key("template_id");
    w.String(r.template_id.c_str());
    if (!r.client_msg_id.empty()) {
      w.Key("client_msg_id");
      w.String(r.client_msg_id.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  return server::make_response(status::ok, buffer.GetString(), 11, "application/json");
}

server::Response PlatformApi::calls_json() const {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const auto& c : calls_) {
    w.StartObject();
    w.Key("at_ms");
    w.Int64(c.at_ms);
    w.Key("path");
    w.String(c.path.c_str());
    w.Key("errcode");
    w.Int(c.errcode);
    w.EndObject();
  }
  w.EndArray();
  return server::make_response(status::ok, buffer.GetString(), 11, "application/json");
}

server::Response PlatformApi::quota(const server::Request& request, TimePoint now) const {
  auto query = handlers::QueryParams::parse(request.target());
  if (int code = check_token(query.get_or_empty("access_token"), now)) return json(code, "invalid credential");
  rapidjson::Document doc;
  if (!permit::json::parse(doc, request.body()) || !doc.IsObject()) return json(47001, "data format error");
  const std::string cgi_path = util::string_field(doc, "cgi_path");
  if (cgi_path.empty()) return json(76021, "cgi_path not found");
  auto it = calls_today_.find(cgi_path);
  const std::int64_t used = it == calls_today_.end() ? 0 : it->second;
  const std::int64_t limit = options_.daily_quota > 0 ? options_.daily_quota : 100000000;
  return json(0, "ok", ",\"quota\":{\"daily_limit\":" + std::to_string(limit) + ",\"used\":" + std::to_string(used) +
                           ",\"remain\":" + std::to_string(std::max<std::int64_t>(limit - used, 0)) + "}");
}

server::Response PlatformApi::handle(const server::Request& request) {
  const std::string path(server::target_path(request.target()));
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  if (path.starts_with("/cgi-bin/")) ++calls_today_[path];
  if (path == "/cgi-bin/openapi/quota/get" && request.method() == server::http::verb::post) return quota(request, now);
  if (path == "/cgi-bin/token" && request.method() == server::http::verb::get) {
    auto query = handlers::QueryParams::parse(request.target());
    if (query.get_or_empty("grant_type") != "client_credential") return json(40002, "invalid grant_type");
    if (query.get_or_empty("appid") != options_.appid) return json(40013, "invalid appid");
    if (query.get_or_empty("secret") != options_.secret) return json(40125, "invalid appsecret");
    // A plain fetch always issues a new token and retires the old one.
    std::string token = new_token(now);
    return json(0, "ok", ",\"access_token\":" + util::json_quote(token) + ",\"expires_in\":" + std::to_string(options_.token_ttl.count()));
  }
  if (path == "/cgi-bin/stable_token" && request.method() == server::http::verb::post) {
    rapidjson::Document doc;
    if (!permit::json::parse(doc, request.body()) || !doc.IsObject()) return json(47001, "data format error");
    if (util::string_field(doc, "grant_type") != "client_credential") return json(40002, "invalid grant_type");
    if (util::string_field(doc, "appid") != options_.appid) return json(40013, "invalid appid");
    if (util::string_field(doc, "secret") != options_.secret) return json(40125, "invalid appsecret");
    const bool force = doc.HasMember("force_refresh") && doc["force_refresh"].IsBool() && doc["force_refresh"].GetBool();
    // The same token to every caller while it is valid.
    if (force || token_.empty() || now >= token_expiry_) new_token(now);
    auto left = std::chrono::duration_cast<std::chrono::seconds>(token_expiry_ - now).count();
    return json(0, "ok", ",\"access_token\":" + util::json_quote(token_) + ",\"expires_in\":" + std::to_string(left));
  }
  if ((path == "/cgi-bin/message/custom/send" || path == "/cgi-bin/message/template/send") &&
      request.method() == server::http::verb::post) {
    auto answer = send(request, path.ends_with("custom/send") ? "custom" : "template");
    rapidjson::Document doc;
    const int errcode = permit::json::parse(doc, answer.body()) && doc.IsObject() && doc.HasMember("errcode") &&
                                doc["errcode"].IsInt()
                            ? doc["errcode"].GetInt()
                            : -1;
    calls_.push_back({std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count(), path,
                      errcode});
    return answer;
  }
  if (path == "/sim/messages") return messages_json();
  if (path == "/sim/calls") return calls_json();
  if (path == "/sim/invalidate-token") {
    new_token(now);
    return json(0, "ok");
  }
  if (path == "/sim/interaction" || path == "/sim/unsubscribe" || path == "/sim/forget" || path == "/sim/fail") {
    rapidjson::Document doc;
    if (!permit::json::parse(doc, request.body()) || util::string_field(doc, "openid").empty())
      return server::make_response(status::bad_request, "expected {\"openid\": ...}\n");
    auto& s = students_[util::string_field(doc, "openid")];
    if (path == "/sim/interaction") {
      s.last_interaction = now;
      s.sent_in_window = 0;
      s.unsubscribed = false;
    } else if (path == "/sim/unsubscribe") {
      s.unsubscribed = true;
    } else if (path == "/sim/forget") {
      s.unknown = true;
    } else {
      s.fail_with = doc.HasMember("errcode") && doc["errcode"].IsInt() ? doc["errcode"].GetInt() : -1;
      s.fail_times = doc.HasMember("times") && doc["times"].IsInt() ? std::max(0, doc["times"].GetInt()) : 0;
    }
    return json(0, "ok");
  }
  return server::make_response(status::not_found, "no such API\n");
}

}  // namespace permit::sim
