#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <vector>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace permit::outbound {

// Where an API lives: http or https, host, port and a path prefix.
struct BaseUrl {
  bool tls = true;
  std::string host;
  std::uint16_t port = 443;
  std::string prefix;  // "" or "/something", no trailing slash

  static std::optional<BaseUrl> parse(std::string_view url, std::string& error);
};

struct HttpResult {
  unsigned status = 0;
  std::string body;
};

// A small HTTP/1.1 client on Beast: TLS with certificate and host-name
// verification for https, a deadline on each whole exchange (resolve,
// connect, handshake, write, read), and keep-alive: a connection whose
// answer allows it goes back to a pool per host and serves the next
// request. A pooled connection is reused only while it has been idle for
// less than kMaxIdle and the peer has not closed it (checked before each
// reuse: an idle HTTP connection has nothing to read). Requests are never
// resent by the client: a request that fails on a reused connection is a
// failure, which the sender retries like any other. Errors come back as
// error_codes, never as exceptions. Safe to use from several strands.
class HttpClient {
 public:
  static constexpr std::size_t kMaxIdlePerHost = 16;
  static constexpr std::chrono::seconds kMaxIdle{15};

  // ca_file: extra trusted certificates (PEM); the system store is used too.
  HttpClient(boost::asio::any_io_executor executor, std::chrono::milliseconds timeout, const std::string& ca_file = "");
  ~HttpClient();

  // Why the CA file could not be loaded (then only the system store is trusted).
  const boost::system::error_code& ca_error() const { return ca_error_; }

  [[nodiscard]] boost::asio::awaitable<boost::system::result<HttpResult>> request(const BaseUrl& base, boost::beast::http::verb verb,
                                                                    std::string target, std::string body);

  // Connections opened so far.
  std::uint64_t connections_opened() const { return opened_.load(); }

 private:
  struct Connection;
  std::unique_ptr<Connection> take(const std::string& key);
  void give_back(const std::string& key, std::unique_ptr<Connection> connection);
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::unique_ptr<Connection>>> connect(
      const BaseUrl& base, std::chrono::steady_clock::time_point deadline);

  boost::asio::any_io_executor executor_;
  std::chrono::milliseconds timeout_;
  boost::asio::ssl::context tls_;
  boost::system::error_code ca_error_;
  std::mutex mutex_;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle_;
  std::atomic<std::uint64_t> opened_{0};
};

}  // namespace permit::outbound
