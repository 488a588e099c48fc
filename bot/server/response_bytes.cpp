#include "bot/server/response_bytes.hpp"

namespace permit::server {

std::optional<std::string> response_bytes(const Response& response) {
  if (response.chunked()) return std::nullopt;
  const unsigned version = response.version();
  const unsigned code = response.result_int();
  const std::string_view reason = response.reason();
  const std::string& body = response.body();

  std::size_t size = 17 + reason.size() + body.size();
  for (const auto& field : response) size += field.name_string().size() + field.value().size() + 4;
  std::string out;
  out.reserve(size);
  // "HTTP/X.Y ### reason\r\n", as basic_fields::writer spells it.
  out.append("HTTP/");
  out.push_back(static_cast<char>('0' + version / 10));
  out.push_back('.');
  out.push_back(static_cast<char>('0' + version % 10));
  out.push_back(' ');
  out.push_back(static_cast<char>('0' + code / 100));
  out.push_back(static_cast<char>('0' + code / 10 % 10));
  out.push_back(static_cast<char>('0' + code % 10));
  out.push_back(' ');
  out.append(reason).append("\r\n");
  for (const auto& field : response) {
    out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  out.append("\r\n").append(body);
  return out;
}

}  // namespace permit::server
