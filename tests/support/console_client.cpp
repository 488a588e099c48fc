#include "tests/support/console_client.hpp"

#include "bot/util/json.hpp"
#include "json/parse.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

namespace permit::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

ConsoleReply ConsoleClient::request(const std::string& method, const std::string& target, const std::string& body,
                                    std::map<std::string, std::string> headers) {
  ConsoleReply reply;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(30));
  stream.socket().open(asio::ip::tcp::v4(), ec);
  if (!ec) stream.socket().bind(asio::ip::tcp::endpoint(asio::ip::make_address(source), 0), ec);
  if (!ec) stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
  if (ec) return reply;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!cookie.empty()) req.set(http::field::cookie, "permit_session=" + cookie);
  if (method != "GET") {
    req.set(http::field::origin, origin());
    if (!csrf.empty()) req.set("X-CSRF-Token", csrf);
  }
  for (const auto& [k, v] : headers) {
    if (v.empty()) req.erase(k);
    else req.set(k, v);
  }
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req, ec);
  if (ec) return reply;
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  if (ec) return reply;
  reply.status = res.result_int();
  reply.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(f.value());
  }
  return reply;
}

ConsoleReply ConsoleClient::sign_in(const std::string& name, const std::string& password) {
  auto reply = request("POST", "/api/v1/session",
                       "{\"name\":" + util::json_quote(name) + ",\"password\":" + util::json_quote(password) + "}");
  if (reply.status != 200) return reply;
  const std::string& set = reply.headers["set-cookie"];
  const std::string prefix = "permit_session=";
  if (set.starts_with(prefix)) cookie = set.substr(prefix.size(), set.find(';') - prefix.size());
  rapidjson::Document doc;
  if (json::parse(doc, reply.body) && doc.IsObject()) csrf = util::string_field(doc, "csrf");
  return reply;
}

}  // namespace permit::testing
