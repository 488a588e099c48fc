#include "bot/redis/resp.hpp"

#include <charconv>

namespace permit::redis {

namespace {

void append_number(std::string& out, char prefix, std::size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  (void)ec;  // 24 digits hold any size_t
  out += prefix;
  out.append(digits, end);
  out += "\r\n";
}

}  // namespace

std::string format_command(const std::vector<std::string>& args) {
  std::size_t size = 16;
  for (const auto& a : args) size += a.size() + 24;
  std::string out;
  out.reserve(size);
  append_number(out, '*', args.size());
  for (const auto& a : args) {
    append_number(out, '$', a.size());
    out += a;
    out += "\r\n";
  }
  return out;
}

}  // namespace permit::redis
