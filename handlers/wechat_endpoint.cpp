#include "handlers/wechat_endpoint.hpp"

#include "bot/util/digest.hpp"
#include "bot/wechat/message_json.hpp"
#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/protocol_error.hpp"
#include "bot/wechat/signature.hpp"

#include <chrono>

namespace permit::handlers {
namespace asio = boost::asio;
namespace http = server::http;
using server::make_response;
using server::Request;
using server::Response;

namespace {

Response reject(http::status status, std::string reason) {
  return make_response(status, std::move(reason) + "\n");
}

// The platform's signature covers token, timestamp and nonce; a stale
// timestamp would let a captured request be replayed.
std::optional<Response> check_signature(const WechatSettings& settings, const QueryParams& query, std::int64_t now) {
  auto signature = query.get("signature");
  auto timestamp = query.get("timestamp");
  auto nonce = query.get("nonce");
  if (!signature || !timestamp || !nonce) return reject(http::status::unauthorized, "missing signature parameters");
  if (!wechat::signature_valid(*signature, wechat::sign(settings.token, *timestamp, *nonce)))
    return reject(http::status::unauthorized, "bad signature");
  if (!wechat::timestamp_fresh(*timestamp, now, settings.timestamp_skew_seconds))
    return reject(http::status::unauthorized, "timestamp too far from now");
  return std::nullopt;
}

std::string random_nonce() {
  std::string bytes = util::random_bytes(8);
  std::uint64_t n = 0;
  for (unsigned char c : bytes) n = (n << 8) | c;
  return std::to_string(n % 10'000'000'000ULL);
}

}  // namespace

WechatEndpoint::UnixClock WechatEndpoint::default_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

WechatEndpoint::WechatEndpoint(WechatSettings settings, core::InboundPipeline& pipeline, UnixClock clock)
    : settings_(std::move(settings)), pipeline_(pipeline), clock_(std::move(clock)) {}

Response WechatEndpoint::handshake(const Request& request) const {
  auto query = QueryParams::parse(request.target());
  if (auto rejected = check_signature(settings_, query, clock_())) return *rejected;
  auto echostr = query.get("echostr");
  if (!echostr) return reject(http::status::bad_request, "missing echostr");
  return make_response(http::status::ok, *echostr);
}

asio::awaitable<Response> WechatEndpoint::receive(Request request) {
  const auto arrival = std::chrono::steady_clock::now();
  auto query = QueryParams::parse(request.target());
  if (auto rejected = check_signature(settings_, query, clock_())) co_return *rejected;

  // The mini-program push may come as JSON; its replies go out through the
  // customer-service API rather than in the HTTP answer.
  auto parse = [](std::string_view body) {
    return wechat::is_json_body(body) ? wechat::parse_json_fields(body) : wechat::parse_xml_fields(body);
  };
  const bool json = wechat::is_json_body(request.body());
  auto fields = parse(request.body());
  if (!fields) co_return reject(http::status::bad_request, "malformed body: " + fields.error().message());

  bool safe_mode = query.get_or_empty("encrypt_type") == "aes";
  if (safe_mode && !settings_.cipher) {
    // Compatible mode carries the message in clear as well, and takes a
    // reply in clear: without a key, that copy is used. Safe mode (only
    // the encrypted copy) cannot be read without one.
    if (fields->find("FromUserName") == fields->end())
      co_return reject(http::status::bad_request, "safe mode is not configured (no aes_key)");
    safe_mode = false;
  }
  if (safe_mode) {
    auto encrypt = fields->find("Encrypt");
    if (encrypt == fields->end()) co_return reject(http::status::bad_request, "missing Encrypt");
    auto msg_signature = query.get("msg_signature");
    if (!msg_signature ||
        !wechat::signature_valid(*msg_signature, wechat::sign_encrypted(settings_.token, query.get_or_empty("timestamp"),
                                                                        query.get_or_empty("nonce"), encrypt->second)))
      co_return reject(http::status::unauthorized, "bad msg_signature");
    auto inner = settings_.cipher->decrypt(encrypt->second, settings_.appid);
    if (!inner) {
      if (inner.error() == wechat::ProtocolError::appid_mismatch)
        co_return reject(http::status::unauthorized, "message is for another appid");
      co_return reject(http::status::bad_request, "cannot decrypt: " + inner.error().message());
    }
    fields = parse(*inner);
    if (!fields) co_return reject(http::status::bad_request, "malformed body: " + fields.error().message());
  }

  auto message = wechat::message_from_fields(*fields);
  if (!message) co_return reject(http::status::bad_request, "bad message: " + message.error().message());

  auto answer = co_await pipeline_.handle(*message, arrival, json);
  if (!answer) {
    // The platform retries; the student's state has not moved.
    co_return reject(http::status::service_unavailable, "temporarily unavailable");
  }
  if (answer->kind == core::Answer::Kind::deferred || answer->text.empty())
    co_return make_response(http::status::ok, "success");
  co_return reply_xml(request, safe_mode, *message, answer->text);
}

Response WechatEndpoint::reply_xml(const Request& request, bool safe_mode, const wechat::InboundMessage& message,
                                   const std::string& text) const {
  const std::int64_t now = clock_();
  std::string xml = wechat::build_text_reply(message.from_user, message.to_user, now, text);
  if (safe_mode) {
    const std::string timestamp = std::to_string(now);
    const std::string nonce = random_nonce();
    std::string encrypted = settings_.cipher->encrypt(xml, settings_.appid);
    std::string signature = wechat::sign_encrypted(settings_.token, timestamp, nonce, encrypted);
    xml = wechat::build_encrypted_envelope(encrypted, signature, timestamp, nonce);
  }
  return make_response(http::status::ok, std::move(xml), request.version(), "application/xml; charset=utf-8");
}

}  // namespace permit::handlers
