#include "bot/outbound/wechat_api.hpp"

#include "bot/redis/survivable.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/json.hpp"
#include "bot/util/log.hpp"
#include "json/parse.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <rapidjson/document.h>

namespace permit::outbound {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Keep a token until this long before the platform says it expires.
constexpr std::int64_t kTokenMarginSeconds = 300;

}  // namespace

boost::system::result<TokenAnswer> read_token_answer(std::string_view body) {
  rapidjson::Document doc;
  if (!json::parse(doc, body) || !doc.IsObject() || !doc.HasMember("access_token") || !doc["access_token"].IsString())
    return make_error_code(boost::system::errc::bad_message);
  TokenAnswer answer{doc["access_token"].GetString()};
  if (doc.HasMember("expires_in") && doc["expires_in"].IsInt64()) answer.expires_in = doc["expires_in"].GetInt64();
  return answer;
}

boost::system::result<SendOutcome> read_send_answer(std::string_view body) {
  rapidjson::Document doc;
  if (!json::parse(doc, body) || !doc.IsObject() || !doc.HasMember("errcode") || !doc["errcode"].IsInt())
    return make_error_code(boost::system::errc::bad_message);
  return SendOutcome{doc["errcode"].GetInt(),
                     doc.HasMember("errmsg") && doc["errmsg"].IsString() ? doc["errmsg"].GetString() : ""};
}

bool is_token_error(int errcode) { return errcode == 40001 || errcode == 40014 || errcode == 42001; }

bool is_permanent_error(int errcode) { return errcode == 40003 || errcode == 43101; }

WechatApi::WechatApi(redis::Client& redis, HttpClient& http, RateLimiter& limiter, ApiOptions options)
    : redis_(redis), http_(http), limiter_(limiter), options_(std::move(options)) {}

asio::awaitable<boost::system::result<std::string>> WechatApi::fetch_token() {
  std::string body = util::write_json([&](util::JsonWriter& w) {
    w.StartObject();
    w.Key("grant_type");
    w.String("client_credential");
    w.Key("appid");
    w.String(options_.appid);
    w.Key("secret");
    w.String(options_.secret);
    w.Key("force_refresh");
    w.Bool(false);
    w.EndObject();
  });
  auto response = co_await http_.request(options_.base, http::verb::post, "/cgi-bin/stable_token", std::move(body));
  if (!response) co_return response.error();
  auto answer = read_token_answer(response->body);
  if (!answer) {
    // (The start of the answer: enough to tell why, and a log line stays short.)
    util::log("error", "stable_token refused: HTTP " + std::to_string(response->status) + " " +
                           response->body.substr(0, 300));
    co_return make_error_code(boost::system::errc::permission_denied);
  }
  std::string token = std::move(answer->access_token);
  const std::int64_t keep = std::max<std::int64_t>(answer->expires_in - kTokenMarginSeconds, 1);
  std::vector<std::string> store{"SET", kTokenKey, token, "EX", std::to_string(keep)};
  auto stored = co_await redis_.exec(std::move(store));
  if (!stored) co_return stored.error();
  co_return token;
}

asio::awaitable<boost::system::result<std::string>> WechatApi::access_token() {
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    std::vector<std::string> get{"GET", kTokenKey};
    auto cached = co_await redis_.exec(std::move(get));
    if (!cached) co_return cached.error();
    if (cached->is_string() && !cached->str.empty()) co_return cached->str;
    // Nobody has one: the lease holder fetches it, everyone else waits.
    std::vector<std::string> lease{"SET", kLeaseKey, options_.instance, "NX", "PX", "10000"};
    auto leased = co_await redis_.exec(std::move(lease));
    if (!leased) co_return leased.error();
    if (!leased->is_nil() && !leased->is_error()) {  // "OK": the lease is ours
      // The previous holder may have stored a token and let go between our
      // GET and our SET: then that one is current, and nothing is fetched.
      std::vector<std::string> again{"GET", kTokenKey};
      auto stored = co_await redis_.exec(std::move(again));
      boost::system::result<std::string> token = make_error_code(boost::system::errc::timed_out);
      if (stored && stored->is_string() && !stored->str.empty()) token = stored->str;
      else token = co_await fetch_token();
      std::vector<std::string> keys{kLeaseKey};
      std::vector<std::string> args{options_.instance};
      // Survivable: the lease expires by itself.
      redis::survivable(co_await redis_.eval(redis::delete_if_equal(), std::move(keys), std::move(args)),
                        "token lease release");
      co_return token;
    }
    if (std::chrono::steady_clock::now() > give_up) co_return make_error_code(boost::system::errc::timed_out);
    pause.expires_after(std::chrono::milliseconds(50));
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> WechatApi::drop_token(const std::string& token) {
  std::vector<std::string> keys{kTokenKey};
  std::vector<std::string> args{token};
  // Survivable: the next send refused for the same token drops it again.
  redis::survivable(co_await redis_.eval(redis::delete_if_equal(), std::move(keys), std::move(args)),
                    "dropping a refused token");
}

asio::awaitable<boost::system::result<SendOutcome>> WechatApi::post(std::string path, std::string body) {
  for (int attempt = 0;; ++attempt) {
    auto token = co_await access_token();
    if (!token) co_return token.error();
    if (auto slot = co_await limiter_.acquire(); !slot) co_return slot.error();
    std::string target = path + "?access_token=" + *token;
    auto response = co_await http_.request(options_.base, http::verb::post, std::move(target), body);
    if (!response) co_return response.error();
    auto answer = read_send_answer(response->body);
    if (!answer) co_return answer.error();
    SendOutcome outcome = std::move(*answer);
    if (is_token_error(outcome.errcode) && attempt == 0) {
      // Refresh once and retry once.
      co_await drop_token(*token);
      continue;
    }
    co_return outcome;
  }
}

asio::awaitable<boost::system::result<SendOutcome>> WechatApi::send_text(std::string openid, std::string content) {
  std::string body = util::write_json([&](util::JsonWriter& w) {
    w.StartObject();
    w.Key("touser");
    w.String(openid);
    w.Key("msgtype");
    w.String("text");
    w.Key("text");
    w.StartObject();
    w.Key("content");
    w.String(content);
    w.EndObject();
    w.EndObject();
  });
  co_return co_await post("/cgi-bin/message/custom/send", std::move(body));
}

asio::awaitable<boost::system::result<SendOutcome>> WechatApi::send_template(std::string openid,
                                                                            std::string template_id,
                                                                            std::string data_json,
                                                                            std::string client_msg_id) {
  std::string body = util::write_json([&](util::JsonWriter& w) {
    w.StartObject();
    w.Key("touser");
    w.String(openid);
    w.Key("template_id");
    w.String(template_id);
    // Our own JSON (StreamSender writes it), passed through as it is.
    w.Key("data");
    w.RawValue(data_json.data(), data_json.size(), rapidjson::kObjectType);
    if (!client_msg_id.empty()) {
      w.Key("client_msg_id");
      w.String(client_msg_id);
    }
    w.EndObject();
  });
  co_return co_await post("/cgi-bin/message/template/send", std::move(body));
}

}  // namespace permit::outbound
