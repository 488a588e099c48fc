#include "tools/wechat_sim/push_client.hpp"

#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/signature.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>

namespace permit::sim {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Extracts the Content of a reply, checking and decrypting an encrypted one.
std::string PushClient::reply_content(const std::string& body) const {
  auto fields = wechat::parse_xml_fields(body);
  if (!fields) return {};
  if (auto enc = fields->find("Encrypt"); enc != fields->end()) {
    if (!cipher_) return "<encrypted reply, but no aes key>";
    auto expected = wechat::sign_encrypted(account_.token, (*fields)["TimeStamp"], (*fields)["Nonce"], enc->second);
    if (!wechat::signature_valid((*fields)["MsgSignature"], expected)) return "<bad reply signature>";
    auto inner = cipher_->decrypt(enc->second, account_.appid);
    if (!inner) return "<undecryptable reply>";
    fields = wechat::parse_xml_fields(*inner);
    if (!fields) return {};
  }
  return (*fields)["Content"];
}

HttpReply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                       const std::string& target, const std::string& body, std::size_t extra_header_bytes,
                       const std::string& bearer, std::chrono::milliseconds timeout) {
  HttpReply out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(timeout);
  beast::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return out;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host);
  if (extra_header_bytes > 0) req.set("X-Padding", std::string(extra_header_bytes, 'p'));
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  req.body() = body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  // Connect, write, read: one chain, under the one deadline above.
  bool answered = false;
  stream.async_connect(asio::ip::tcp::endpoint{address, port}, [&](beast::error_code connected) {
    if (connected) return;
    http::async_write(stream, req, [&](beast::error_code written, std::size_t) {
      if (written) return;
      http::async_read(stream, buffer, res, [&](beast::error_code read, std::size_t) { answered = !read; });
    });
  });
  ioc.run();
  if (!answered) return out;
  out.status = res.result_int();
  out.body = res.body();
  return out;
}

PushClient::PushClient(std::string host, std::uint16_t port, Account account, Mode mode)
    : host_(std::move(host)), port_(port), account_(std::move(account)), mode_(mode) {
  if (auto cipher = wechat::MessageCipher::from_encoding_aes_key(account_.aes_key)) cipher_ = *cipher;
}

std::string PushClient::signed_query(std::int64_t timestamp, const std::string& nonce) const {
  const std::string ts = std::to_string(timestamp);
  return "signature=" + wechat::sign(account_.token, ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce;
}

HttpReply PushClient::send_xml(const std::string& inner_xml, std::int64_t timestamp) const {
  static std::atomic<std::uint64_t> nonce_counter{1000};
  if (timestamp == 0) timestamp = unix_now();
  const std::string nonce = std::to_string(nonce_counter++);
  std::string target = "/wechat?" + signed_query(timestamp, nonce);
  std::string body = inner_xml;
  if (mode_ != Mode::plain && cipher_) {
    std::string encrypted = cipher_->encrypt(inner_xml, account_.appid);
    target += "&encrypt_type=aes&msg_signature=" +
              wechat::sign_encrypted(account_.token, std::to_string(timestamp), nonce, encrypted);
    body = mode_ == Mode::safe ? wechat::build_encrypted_post_body("gh_test", encrypted)
                               // Compatible mode: the plaintext fields and Encrypt side by side.
                               : inner_xml.substr(0, inner_xml.size() - 6) + "<Encrypt><![CDATA[" + encrypted +
                                     "]]></Encrypt></xml>";
  }
  HttpReply reply = http_request(host_, port_, "POST", target, body, 0, "", answer_timeout_);
  if (reply.status == 200 && reply.body != "success") reply.content = reply_content(reply.body);
  return reply;
}

HttpReply PushClient::send_text(const std::string& openid, std::uint64_t msg_id, const std::string& content,
                                  std::int64_t create_time) const {
  if (create_time == 0) create_time = unix_now();
  return send_xml(wechat::build_text_message("gh_test", openid, create_time, content, msg_id));
}

HttpReply PushClient::send_voice(const std::string& openid, std::uint64_t msg_id, std::optional<std::string> recognition,
                                 std::int64_t create_time) const {
  if (create_time == 0) create_time = unix_now();
  std::optional<std::string_view> heard;
  if (recognition) heard = *recognition;
  return send_xml(wechat::build_voice_message("gh_test", openid, create_time, "media_" + std::to_string(msg_id), heard,
                                              msg_id));
}

HttpReply PushClient::send_event(const std::string& openid, const std::string& event, const std::string& key,
                                   std::int64_t create_time) const {
  return send_xml(wechat::build_event_message("gh_test", openid, create_time, event, key));
}

}  // namespace permit::sim
