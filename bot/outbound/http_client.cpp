#include "bot/outbound/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <charconv>

namespace permit::outbound {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using tcp = asio::ip::tcp;

std::optional<BaseUrl> BaseUrl::parse(std::string_view url, std::string& error) {
  BaseUrl out;
  if (url.starts_with("https://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("http://")) {
    url.remove_prefix(7);
    out.tls = false;
    out.port = 80;
  } else {
    error = "must start with http:// or https://";
    return std::nullopt;
  }
  auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  if (slash != std::string_view::npos) out.prefix = std::string(url.substr(slash));
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  auto colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    unsigned port = 0;
    auto digits = authority.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535) {
      error = "bad port";
      return std::nullopt;
    }
    out.port = static_cast<std::uint16_t>(port);
    authority = authority.substr(0, colon);
  }
  if (authority.empty()) {
    error = "no host";
    return std::nullopt;
  }
  out.host = std::string(authority);
  return out;
}

HttpClient::HttpClient(asio::any_io_executor executor, std::chrono::milliseconds timeout, const std::string& ca_file)
    : executor_(std::move(executor)), timeout_(timeout), tls_(asio::ssl::context::tls_client) {
  error_code ignored;
  tls_.set_default_verify_paths(ignored);
  if (!ca_file.empty()) tls_.load_verify_file(ca_file, ignored);
  tls_.set_verify_mode(asio::ssl::verify_peer);
}

namespace {

template <class Stream>
asio::awaitable<boost::system::result<HttpResult>> exchange(Stream& stream, beast::tcp_stream& deadline_holder,
                                                            http::request<http::string_body>& request,
                                                            std::chrono::steady_clock::time_point deadline) {
  auto token = asio::as_tuple(asio::use_awaitable);
  deadline_holder.expires_at(deadline);
  auto [write_ec, written] = co_await http::async_write(stream, request, token);
  if (write_ec) co_return write_ec;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  deadline_holder.expires_at(deadline);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, token);
  if (read_ec) co_return read_ec;
  auto& response = parser.get();
  co_return HttpResult{response.result_int(), std::move(response.body())};
}

}  // namespace

asio::awaitable<boost::system::result<HttpResult>> HttpClient::request(const BaseUrl& base, http::verb verb,
                                                                       std::string target, std::string body) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  auto token = asio::as_tuple(asio::use_awaitable);
  tcp::resolver resolver(executor_);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(base.host, std::to_string(base.port), token);
  if (resolve_ec) co_return resolve_ec;

  http::request<http::string_body> request{verb, base.prefix + target, 11};
  request.set(http::field::host, base.host);
  request.set(http::field::user_agent, "permit-bot");
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  request.keep_alive(false);

  if (!base.tls) {
    beast::tcp_stream stream(executor_);
    stream.expires_at(deadline);
    auto [connect_ec, endpoint] = co_await stream.async_connect(endpoints, token);
    if (connect_ec) co_return connect_ec;
    auto result = co_await exchange(stream, stream, request, deadline);
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return result;
  }

  beast::ssl_stream<beast::tcp_stream> stream(executor_, tls_);
  // SNI, and the certificate must name the host.
  if (!SSL_set_tlsext_host_name(stream.native_handle(), base.host.c_str()))
    co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
  stream.set_verify_callback(asio::ssl::host_name_verification(base.host));
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_at(deadline);
  auto [connect_ec, endpoint] = co_await lowest.async_connect(endpoints, token);
  if (connect_ec) co_return connect_ec;
  lowest.expires_at(deadline);
  auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::client, token);
  if (handshake_ec) co_return handshake_ec;
  auto result = co_await exchange(stream, lowest, request, deadline);
  lowest.expires_at(deadline);
  co_await stream.async_shutdown(token);  // best effort; the answer is in
  co_return result;
}

}  // namespace permit::outbound
