// The safe-mode cipher's decrypt, with the test account's key. The first
// byte picks what the rest is:
//   'b'  the Encrypt field as posted (base64 text);
//   else plaintext, encrypted here with the key and no padding of ours, so
//        that the checks after decryption (padding 1..32, the 4-byte length,
//        the appid) see bytes the fuzzer chose, as they would if the key
//        leaked. Cut to whole AES blocks.

#include "bot/util/base64.hpp"
#include "bot/wechat/message_cipher.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view kAesKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
constexpr std::string_view kAppId = "wx49f0ab532d5d035a";

std::string raw_encrypt(std::string plain) {
  plain.resize(plain.size() / 16 * 16);
  auto key = permit::util::base64_decode(std::string(kAesKey) + "=");
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  const auto* k = reinterpret_cast<const unsigned char*>(key->data());
  std::string out(plain.size() + 16, '\0');
  int n = 0, tail = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                        reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) != 1)
    std::abort();
  out.resize(static_cast<std::size_t>(n + tail));
  return permit::util::base64_encode(out);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto cipher = permit::wechat::MessageCipher::from_encoding_aes_key(kAesKey).value();
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string posted = data[0] == 'b' ? rest : raw_encrypt(rest);
  auto inner = cipher.decrypt(posted, kAppId);
  if (!inner) return 0;
  // Whatever decrypts, encrypts back to something that decrypts the same.
  auto again = cipher.decrypt(cipher.encrypt(*inner, kAppId), kAppId);
  if (!again || *again != *inner) std::abort();
  return 0;
}
