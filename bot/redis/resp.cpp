#include "bot/redis/resp.hpp"

#include <charconv>
#include <cstring>

namespace permit::redis {

namespace {

// Decimal digits of n.
std::size_t digits(std::size_t n) {
  std::size_t d = 1;
  for (; n >= 10; n /= 10) ++d;
  return d;
}

// The bytes of "$LEN\r\nARG\r\n".
std::size_t arg_size(std::string_view a) { return 1 + digits(a.size()) + 2 + a.size() + 2; }

// Writes PREFIX N \r\n at `at`; returns the end.
char* put_number(char* at, char prefix, std::size_t n) {
  *at++ = prefix;
  at = std::to_chars(at, at + 20, n).ptr;  // 20 digits hold any size_t
  *at++ = '\r';
  *at++ = '\n';
  return at;
}

// Writes "$LEN\r\nARG\r\n" at `at`; returns the end.
char* put_arg(char* at, std::string_view a) {
  at = put_number(at, '$', a.size());
  if (!a.empty()) std::memcpy(at, a.data(), a.size());
  at += a.size();
  *at++ = '\r';
  *at++ = '\n';
  return at;
}

}  // namespace

// Both are sized exactly, then written through a pointer: appending piece
// by piece checked the capacity some 60 times per commit command, and that
// was most of the cost.
std::string format_command(const std::vector<std::string>& args) {
  std::size_t size = 3 + digits(args.size());
  for (const auto& a : args) size += arg_size(a);
  std::string out(size, '\0');
  char* at = put_number(out.data(), '*', args.size());
  for (const auto& a : args) at = put_arg(at, a);
  return out;
}

std::string format_eval(std::string_view verb, std::string_view script, const std::vector<std::string>& keys,
                        const std::vector<std::string>& args) {
  char numkeys_digits[20];
  const std::string_view numkeys(numkeys_digits,
                                 std::to_chars(numkeys_digits, numkeys_digits + 20, keys.size()).ptr - numkeys_digits);
  const std::size_t count = 3 + keys.size() + args.size();
  std::size_t size = 3 + digits(count) + arg_size(verb) + arg_size(script) + arg_size(numkeys);
  for (const auto& k : keys) size += arg_size(k);
  for (const auto& a : args) size += arg_size(a);
  std::string out(size, '\0');
  char* at = put_number(out.data(), '*', count);
  at = put_arg(put_arg(put_arg(at, verb), script), numkeys);
  for (const auto& k : keys) at = put_arg(at, k);
  for (const auto& a : args) at = put_arg(at, a);
  return out;
}

}  // namespace permit::redis
