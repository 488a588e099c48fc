#include "bot/util/base64.hpp"

#include <openssl/evp.h>

#include <climits>
#include <cstdlib>

namespace permit::util {
namespace {

bool is_alphabet(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Counts trailing '=' and checks that everything before them is alphabet.
std::optional<std::size_t> padding_of(std::string_view text) {
  std::size_t pad = 0;
  while (pad < text.size() && text[text.size() - 1 - pad] == '=') {
    ++pad;
  }
  if (pad > 2) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i + pad < text.size(); ++i) {
    if (!is_alphabet(text[i])) {
      return std::nullopt;
    }
  }
  return pad;
}

}  // namespace

std::string base64_encode(std::string_view data) {
  if (data.empty()) {
    return {};
  }
  // EVP_EncodeBlock takes an int length; nothing this large crosses our wire.
  if (data.size() > static_cast<std::size_t>(INT_MAX / 4 * 3)) {
    std::abort();
  }
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(data.data()),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty()) {
    return std::string{};
  }
  if (text.size() % 4 != 0 || text.size() > static_cast<std::size_t>(INT_MAX)) {
    return std::nullopt;
  }
  // Validating first also keeps EVP_DecodeBlock from quietly trimming
  // whitespace or accepting '=' in the middle.
  const auto pad = padding_of(text);
  if (!pad) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0 || static_cast<std::size_t>(n) != out.size()) {
    return std::nullopt;
  }
  // EVP_DecodeBlock decodes padding as zero bytes; they are not data.
  out.resize(out.size() - *pad);
  return out;
}

}  // namespace permit::util
