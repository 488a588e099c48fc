#include "handlers/console_http.hpp"

namespace permit::handlers {
namespace http = server::http;

server::Response json_error(http::status code, unsigned version, std::string_view error, std::string_view message) {
  return json_answer(code, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("error");
    w.String(error.data(), static_cast<rapidjson::SizeType>(error.size()));
    w.Key("message");
    w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    w.EndObject();
  });
}

std::string cookie_value(const server::Request& request, std::string_view name) {
  // Cookie: a=1; b=2 (one header; a browser never sends two).
  const std::string_view header = request[http::field::cookie];
  std::size_t at = 0;
  while (at < header.size()) {
    std::size_t end = header.find(';', at);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(at, end - at);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    at = end + 1;
  }
  return "";
}

bool same_origin(const server::Request& request) {
  const std::string_view origin = request[http::field::origin];
  const std::string_view host = request[http::field::host];
  if (origin.empty() || host.empty()) return false;
  for (std::string_view scheme : {"http://", "https://"})
    if (origin.size() == scheme.size() + host.size() && origin.starts_with(scheme) && origin.ends_with(host)) return true;
  return false;
}

bool changes_something(http::verb method) {
  return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

bool over_tls(const server::Request& request) { return request["X-Forwarded-Proto"] == "https"; }

}  // namespace permit::handlers
