#include "bot/outbound/http_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cerrno>
#include <charconv>
#include <sys/socket.h>

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

struct HttpClient::Connection {
  explicit Connection(asio::any_io_executor executor) : plain(std::in_place, executor) {}
  Connection(asio::any_io_executor executor, asio::ssl::context& tls) : secure(std::in_place, executor, tls) {}

  beast::tcp_stream& lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }

  // Reusable: idle briefly, nothing left over, and nothing to read (an idle
  // HTTP connection has nothing to read; EOF, an alert or stray bytes mean
  // the peer is done with it).
  bool reusable(std::chrono::steady_clock::time_point now) {
    if (now - idle_since >= kMaxIdle || buffer.size() != 0) return false;
    auto& socket = lowest().socket();
    if (!socket.is_open()) return false;
    char byte;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }

  std::optional<beast::tcp_stream> plain;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  beast::flat_buffer buffer;
  std::chrono::steady_clock::time_point idle_since;
};

HttpClient::HttpClient(asio::any_io_executor executor, std::chrono::milliseconds timeout, const std::string& ca_file)
    : executor_(std::move(executor)), timeout_(timeout), tls_(asio::ssl::context::tls_client) {
  error_code ignored;
  tls_.set_default_verify_paths(ignored);
  if (!ca_file.empty()) tls_.load_verify_file(ca_file, ca_error_);
  tls_.set_verify_mode(asio::ssl::verify_peer);
}

HttpClient::~HttpClient() = default;

namespace {

std::string pool_key(const BaseUrl& base) {
  return (base.tls ? "https://" : "http://") + base.host + ":" + std::to_string(base.port);
}

template <class Stream>
asio::awaitable<boost::system::result<HttpResult>> exchange(Stream& stream, beast::tcp_stream& deadline_holder,
                                                            beast::flat_buffer& buffer,
                                                            http::request<http::string_body>& request,
                                                            std::chrono::steady_clock::time_point deadline,
                                                            bool& keep_alive) {
  auto token = asio::as_tuple(asio::use_awaitable);
  // One deadline for the write and the read: Beast keeps it until it is set again.
  deadline_holder.expires_at(deadline);
  auto [write_ec, written] = co_await http::async_write(stream, request, token);
  if (write_ec) co_return write_ec;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1024 * 1024);
  auto [read_ec, read] = co_await http::async_read(stream, buffer, parser, token);
  if (read_ec) co_return read_ec;
  auto& response = parser.get();
  keep_alive = response.keep_alive();
  co_return HttpResult{response.result_int(), std::move(response.body())};
}

}  // namespace

std::unique_ptr<HttpClient::Connection> HttpClient::take(const std::string& key) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto it = idle_.find(key);
  if (it == idle_.end()) return nullptr;
  // The most recently used first; the stale ones are closed on the way.
  while (!it->second.empty()) {
    std::unique_ptr<Connection> connection = std::move(it->second.back());
    it->second.pop_back();
    if (connection->reusable(now)) return connection;
  }
  return nullptr;
}

void HttpClient::give_back(const std::string& key, std::unique_ptr<Connection> connection) {
  connection->idle_since = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  auto& idle = idle_[key];
  if (idle.size() < kMaxIdlePerHost) idle.push_back(std::move(connection));
}

asio::awaitable<boost::system::result<std::unique_ptr<HttpClient::Connection>>> HttpClient::connect(
    const BaseUrl& base, std::chrono::steady_clock::time_point deadline) {
  auto token = asio::as_tuple(asio::use_awaitable);
  // The resolver has no deadline of its own; the timer cancels it, on the
  // caller's executor (a strand), so the two never run at once.
  auto here = co_await asio::this_coro::executor;
  tcp::resolver resolver(here);
  asio::steady_timer give_up(here, deadline);
  give_up.async_wait([&resolver](error_code ec) {
    if (!ec) resolver.cancel();
  });
  const std::string port = std::to_string(base.port);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(base.host, port, token);
  give_up.cancel();
  if (resolve_ec) co_return resolve_ec;

  auto connection = base.tls ? std::make_unique<Connection>(executor_, tls_) : std::make_unique<Connection>(executor_);
  if (base.tls) {
    // SNI, and the certificate must name the host.
    if (!SSL_set_tlsext_host_name(connection->secure->native_handle(), base.host.c_str()))
      co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
    connection->secure->set_verify_callback(asio::ssl::host_name_verification(base.host));
  }
  // One deadline for the connect and the handshake.
  connection->lowest().expires_at(deadline);
  auto [connect_ec, endpoint] = co_await connection->lowest().async_connect(endpoints, token);
  if (connect_ec) co_return connect_ec;
  if (base.tls) {
    auto [handshake_ec] = co_await connection->secure->async_handshake(asio::ssl::stream_base::client, token);
    if (handshake_ec) co_return handshake_ec;
  }
  ++opened_;
  co_return connection;
}

asio::awaitable<boost::system::result<HttpResult>> HttpClient::request(const BaseUrl& base, http::verb verb,
                                                                       std::string target, std::string body) {
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  http::request<http::string_body> request{verb, base.prefix + target, 11};
  request.set(http::field::host, base.host);
  request.set(http::field::user_agent, "permit-bot");
  request.set(http::field::content_type, "application/json");
  request.body() = std::move(body);
  request.prepare_payload();
  request.keep_alive(true);

  const std::string key = pool_key(base);
  std::unique_ptr<Connection> connection = take(key);
  if (!connection) {
    auto made = co_await connect(base, deadline);
    if (!made) co_return made.error();
    connection = std::move(*made);
  }
  bool keep_alive = false;
  boost::system::result<HttpResult> result = make_error_code(boost::system::errc::not_connected);
  if (connection->secure)
    result = co_await exchange(*connection->secure, connection->lowest(), connection->buffer, request, deadline,
                               keep_alive);
  else
    result = co_await exchange(*connection->plain, connection->lowest(), connection->buffer, request, deadline,
                               keep_alive);
  // A connection that failed, or that the server closes, is dropped.
  if (result && keep_alive) {
    connection->lowest().expires_never();
    give_back(key, std::move(connection));
  }
  co_return result;
}

}  // namespace permit::outbound
