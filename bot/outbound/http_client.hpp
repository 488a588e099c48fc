#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>

#include <chrono>
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

// A small HTTP/1.1 client on Beast: one connection per request, TLS with
// certificate and host-name verification for https, and a deadline on the
// whole exchange. Errors come back as error_codes, never as exceptions.
class HttpClient {
 public:
  // ca_file: extra trusted certificates (PEM); the system store is used too.
  HttpClient(boost::asio::any_io_executor executor, std::chrono::milliseconds timeout, const std::string& ca_file = "");

  boost::asio::awaitable<boost::system::result<HttpResult>> request(const BaseUrl& base, boost::beast::http::verb verb,
                                                                    std::string target, std::string body);

 private:
  boost::asio::any_io_executor executor_;
  std::chrono::milliseconds timeout_;
  boost::asio::ssl::context tls_;
};

}  // namespace permit::outbound
