#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace permit::testing {

struct ConsoleReply {
  int status = 0;  // 0: the connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// A browser-like client of the admin listener: keeps the session cookie it
// is given, sends Origin (this server, unless told otherwise) and, once
// signed in, the CSRF token, like the console's pages do.
class ConsoleClient {
 public:
  explicit ConsoleClient(std::uint16_t port) : port_(port) {}

  // Any request. Headers given here are added (an empty value leaves one out).
  ConsoleReply request(const std::string& method, const std::string& target, const std::string& body = "",
                       std::map<std::string, std::string> headers = {});
  // POST /api/v1/session; keeps the cookie and the CSRF token on success.
  ConsoleReply sign_in(const std::string& name, const std::string& password);

  std::string source = "127.0.0.1";  // the address to connect from (any of 127.0.0.0/8)
  std::string cookie;  // the session token, "" when none
  std::string csrf;
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::uint16_t port_;
};

}  // namespace permit::testing
