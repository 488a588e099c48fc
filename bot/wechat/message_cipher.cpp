#include "bot/wechat/message_cipher.hpp"

#include "bot/util/base64.hpp"
#include "bot/util/digest.hpp"

#include <openssl/evp.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

namespace permit::wechat {
namespace {

constexpr std::size_t kKeyChars = 43;
constexpr std::size_t kPrefixBytes = 16;
constexpr std::size_t kLengthBytes = 4;
// WeChat pads to 32 bytes, following its original SDK, not to AES's 16.
constexpr std::size_t kPadBlock = 32;
constexpr std::size_t kAesBlock = 16;

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// Raw AES-256-CBC with OpenSSL's padding off: the padding rule is WeChat's.
std::optional<std::string> aes_cbc(const std::array<unsigned char, 32>& key,
                                   std::string_view input, bool encrypting) {
  if (input.size() % kAesBlock != 0 || input.size() > static_cast<std::size_t>(INT_MAX)) {
    return std::nullopt;
  }
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key.data(), key.data(),
                        encrypting ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return std::nullopt;
  }
  std::string out(input.size() + kAesBlock, '\0');
  auto* out_bytes = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  int tail = 0;
  if (EVP_CipherUpdate(ctx.get(), out_bytes, &written,
                       reinterpret_cast<const unsigned char*>(input.data()),
                       static_cast<int>(input.size())) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), out_bytes + written, &tail) != 1) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(written + tail));
  return out;
}

void append_pkcs7(std::string& plain) {
  const std::size_t pad = kPadBlock - plain.size() % kPadBlock;  // 1..32, never 0
  plain.append(pad, static_cast<char>(pad));
}

// Length of the padding, or nullopt when the last byte is outside 1..32 or
// the bytes it covers do not all repeat it.
std::optional<std::size_t> pkcs7_length(std::string_view plain) {
  if (plain.empty()) {
    return std::nullopt;
  }
  const auto pad = static_cast<unsigned char>(plain.back());
  if (pad < 1 || pad > kPadBlock || pad > plain.size()) {
    return std::nullopt;
  }
  for (std::size_t i = plain.size() - pad; i < plain.size(); ++i) {
    if (static_cast<unsigned char>(plain[i]) != pad) {
      return std::nullopt;
    }
  }
  return pad;
}

std::uint32_t read_be32(std::string_view bytes) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < kLengthBytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return v;
}

void append_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((v >> shift) & 0xff));
  }
}

}  // namespace

boost::system::result<MessageCipher> MessageCipher::from_encoding_aes_key(std::string_view key43) {
  if (key43.size() != kKeyChars) {
    return ProtocolError::bad_aes_key;
  }
  std::string padded(key43);
  padded.push_back('=');
  const auto raw = util::base64_decode(padded);
  std::array<unsigned char, 32> key{};
  if (!raw || raw->size() != key.size()) {
    return ProtocolError::bad_aes_key;
  }
  std::memcpy(key.data(), raw->data(), key.size());
  return MessageCipher(key);
}

boost::system::result<std::string> MessageCipher::decrypt(std::string_view encrypt_base64,
                                                          std::string_view expected_appid) const {
  const auto cipher = util::base64_decode(encrypt_base64);
  if (!cipher || cipher->empty()) {
    return ProtocolError::bad_ciphertext;
  }
  auto plain = aes_cbc(key_, *cipher, false);
  if (!plain) {
    return ProtocolError::bad_ciphertext;
  }
  const auto pad = pkcs7_length(*plain);
  if (!pad) {
    return ProtocolError::bad_padding;
  }
  const std::string_view body = std::string_view(*plain).substr(0, plain->size() - *pad);
  if (body.size() < kPrefixBytes + kLengthBytes) {
    return ProtocolError::bad_ciphertext;
  }
  const std::string_view rest = body.substr(kPrefixBytes + kLengthBytes);
  const std::uint32_t xml_len = read_be32(body.substr(kPrefixBytes));
  if (xml_len > rest.size()) {
    return ProtocolError::bad_ciphertext;
  }
  if (rest.substr(xml_len) != expected_appid) {
    return ProtocolError::appid_mismatch;
  }
  return std::string(rest.substr(0, xml_len));
}

std::string MessageCipher::encrypt(std::string_view xml, std::string_view appid) const {
  return encrypt_with_prefix(util::random_bytes(kPrefixBytes), xml, appid);
}

std::string MessageCipher::encrypt_with_prefix(std::string_view random16, std::string_view xml,
                                               std::string_view appid) const {
  // Both are caller bugs, not input from the wire: a wrong prefix or a
  // 4 GiB reply would produce a payload the platform cannot read.
  if (random16.size() != kPrefixBytes || xml.size() > UINT32_MAX) {
    std::abort();
  }
  std::string plain;
  plain.reserve(kPrefixBytes + kLengthBytes + xml.size() + appid.size() + kPadBlock);
  plain.append(random16);
  append_be32(plain, static_cast<std::uint32_t>(xml.size()));
  plain.append(xml);
  plain.append(appid);
  append_pkcs7(plain);
  const auto cipher = aes_cbc(key_, plain, true);
  if (!cipher) {
    std::abort();  // the input is block-aligned, so only a broken libcrypto gets here
  }
  return util::base64_encode(*cipher);
}

}  // namespace permit::wechat
