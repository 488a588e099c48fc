#include "tests/support/wechat_client.hpp"

#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/signature.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>

namespace permit::testing {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

namespace {

// Extracts the Content of a reply, decrypting and checking an encrypted one.
std::string reply_content(const std::string& body, const wechat::MessageCipher& cipher) {
  auto fields = wechat::parse_xml_fields(body);
  if (!fields) return {};
  if (auto enc = fields->find("Encrypt"); enc != fields->end()) {
    auto expected = wechat::sign_encrypted(kToken, (*fields)["TimeStamp"], (*fields)["Nonce"], enc->second);
    if (!wechat::signature_valid((*fields)["MsgSignature"], expected)) return "<bad reply signature>";
    auto inner = cipher.decrypt(enc->second, kAppId);
    if (!inner) return "<undecryptable reply>";
    fields = wechat::parse_xml_fields(*inner);
    if (!fields) return {};
  }
  return (*fields)["Content"];
}

}  // namespace

HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                       const std::string& body, std::size_t extra_header_bytes) {
  HttpReply out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.socket().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return out;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (extra_header_bytes > 0) req.set("X-Padding", std::string(extra_header_bytes, 'p'));
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) return out;
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return out;
  out.status = res.result_int();
  out.body = res.body();
  return out;
}

WechatClient::WechatClient(std::uint16_t port, Mode mode)
    : port_(port), mode_(mode), cipher_(*wechat::MessageCipher::from_encoding_aes_key(kAesKey)) {}

std::string WechatClient::signed_query(std::int64_t timestamp, const std::string& nonce) const {
  const std::string ts = std::to_string(timestamp);
  return "signature=" + wechat::sign(kToken, ts, nonce) + "&timestamp=" + ts + "&nonce=" + nonce + "&openid=x";
}

HttpReply WechatClient::send_xml(const std::string& inner_xml, std::int64_t timestamp) const {
  static std::atomic<std::uint64_t> nonce_counter{1000};
  if (timestamp == 0) timestamp = unix_now();
  const std::string nonce = std::to_string(nonce_counter++);
  std::string target = "/wechat?" + signed_query(timestamp, nonce);
  std::string body = inner_xml;
  if (mode_ != Mode::plain) {
    std::string encrypted = cipher_.encrypt(inner_xml, kAppId);
    target += "&encrypt_type=aes&msg_signature=" +
              wechat::sign_encrypted(kToken, std::to_string(timestamp), nonce, encrypted);
    body = mode_ == Mode::safe ? wechat::build_encrypted_post_body("gh_test", encrypted)
                               // Compatible mode: the plaintext fields and Encrypt side by side.
                               : inner_xml.substr(0, inner_xml.size() - 6) + "<Encrypt><![CDATA[" + encrypted +
                                     "]]></Encrypt></xml>";
  }
  HttpReply reply = http_request(port_, "POST", target, body);
  if (reply.status == 200 && reply.body != "success") reply.content = reply_content(reply.body, cipher_);
  return reply;
}

HttpReply WechatClient::send_text(const std::string& openid, std::uint64_t msg_id, const std::string& content,
                                  std::int64_t create_time) const {
  if (create_time == 0) create_time = unix_now();
  return send_xml(wechat::build_text_message("gh_test", openid, create_time, content, msg_id));
}

HttpReply WechatClient::send_event(const std::string& openid, const std::string& event, const std::string& key,
                                   std::int64_t create_time) const {
  return send_xml(wechat::build_event_message("gh_test", openid, create_time, event, key));
}

}  // namespace permit::testing
