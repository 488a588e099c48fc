#include "bot/util/base64.hpp"
#include "bot/wechat/message_cipher.hpp"
#include "bot/wechat/protocol_error.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

namespace permit::wechat {
namespace {

constexpr std::string_view kKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
constexpr std::string_view kVectorEncrypt =
    "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==";

MessageCipher vector_cipher() {
  auto cipher = MessageCipher::from_encoding_aes_key(kKey);
  EXPECT_TRUE(cipher);
  return *cipher;
}

// Encrypts `plain` exactly as given (no padding added), so tests can build
// payloads with padding the real encoder would never produce.
std::string encrypt_raw(const std::string& plain) {
  const auto key = util::base64_decode(std::string(kKey) + "=");
  EXPECT_TRUE(key && key->size() == 32);
  const auto* k = reinterpret_cast<const unsigned char*>(key->data());
  std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(),
                                                                      &EVP_CIPHER_CTX_free);
  std::string out(plain.size() + 16, '\0');
  int n = 0;
  int tail = 0;
  EXPECT_EQ(EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, k, k), 1);
  EXPECT_EQ(EVP_CIPHER_CTX_set_padding(ctx.get(), 0), 1);
  EXPECT_EQ(EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                              reinterpret_cast<const unsigned char*>(plain.data()),
                              static_cast<int>(plain.size())),
            1);
  EXPECT_EQ(EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail),
            1);
  out.resize(static_cast<std::size_t>(n + tail));
  return util::base64_encode(out);
}

// random(16) || len || xml || appid, without padding.
std::string framed(std::string_view xml, std::string_view appid, std::uint32_t len) {
  std::string plain = "1234567890123456";
  for (int shift = 24; shift >= 0; shift -= 8) {
    plain.push_back(static_cast<char>((len >> shift) & 0xff));
  }
  plain.append(xml).append(appid);
  return plain;
}

std::string padded_to(std::string plain, std::size_t total, char pad_byte) {
  plain.append(total - plain.size(), pad_byte);
  return plain;
}

TEST(MessageCipher, DecryptsPlatformVector) {
  const auto xml = vector_cipher().decrypt(kVectorEncrypt, "wx49f0ab532d5d035a");
  ASSERT_TRUE(xml) << xml.error().message();
  EXPECT_EQ(*xml, "5927782489442352469");
}

TEST(MessageCipher, EncryptsVectorWithFixedPrefix) {
  EXPECT_EQ(vector_cipher().encrypt_with_prefix("1234567890123456", "test", "rust"),
            "9s4gMv99m88kKTh/H8IdkNiFGeG9pd7vNWl50fGRWXY=");
}

TEST(MessageCipher, RoundTripsXmlWithRandomPrefix) {
  const auto cipher = vector_cipher();
  const std::string xml = "<xml><Content><![CDATA[\xe4\xbd\xa0\xe5\xa5\xbd]]></Content></xml>";
  const auto a = cipher.encrypt(xml, "wx1234");
  const auto b = cipher.encrypt(xml, "wx1234");
  EXPECT_NE(a, b);
  EXPECT_EQ(cipher.decrypt(a, "wx1234").value(), xml);
  EXPECT_EQ(cipher.decrypt(b, "wx1234").value(), xml);
}

TEST(MessageCipher, RoundTripsEveryLengthAcrossPaddingBoundaries) {
  const auto cipher = vector_cipher();
  for (std::size_t n = 0; n <= 70; ++n) {
    const std::string xml(n, 'x');
    EXPECT_EQ(cipher.decrypt(cipher.encrypt(xml, "app"), "app").value(), xml) << n;
  }
}

TEST(MessageCipher, RejectsAppidMismatch) {
  const auto xml = vector_cipher().decrypt(kVectorEncrypt, "wx0000000000000000");
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error(), ProtocolError::appid_mismatch);
}

TEST(MessageCipher, RejectsAppidThatIsOnlyAPrefix) {
  EXPECT_EQ(vector_cipher().decrypt(kVectorEncrypt, "wx49f0ab532d5d035").error(),
            ProtocolError::appid_mismatch);
  EXPECT_EQ(vector_cipher().decrypt(kVectorEncrypt, "").error(), ProtocolError::appid_mismatch);
}

TEST(MessageCipher, TamperedCiphertextIsRejected) {
  const auto cipher = vector_cipher();
  auto raw = *util::base64_decode(kVectorEncrypt);
  // CBC: flipping a bit in block 3 flips the same bit of plaintext block 4,
  // which here lands in the padding.
  raw[raw.size() - 20] ^= 0x01;
  const auto xml = cipher.decrypt(util::base64_encode(raw), "wx49f0ab532d5d035a");
  ASSERT_FALSE(xml);
  EXPECT_EQ(xml.error(), ProtocolError::bad_padding);
}

TEST(MessageCipher, TamperedFirstBlockIsRejected) {
  auto raw = *util::base64_decode(kVectorEncrypt);
  raw[0] ^= 0x80;  // garbles the prefix and flips the top bit of the length
  EXPECT_FALSE(vector_cipher().decrypt(util::base64_encode(raw), "wx49f0ab532d5d035a"));
}

TEST(MessageCipher, CiphertextNotWholeBlocksIsRejected) {
  auto raw = *util::base64_decode(kVectorEncrypt);
  raw.pop_back();
  EXPECT_EQ(vector_cipher().decrypt(util::base64_encode(raw), "wx49f0ab532d5d035a").error(),
            ProtocolError::bad_ciphertext);
}

TEST(MessageCipher, InvalidBase64OrEmptyIsBadCiphertext) {
  const auto cipher = vector_cipher();
  EXPECT_EQ(cipher.decrypt("not base64!", "a").error(), ProtocolError::bad_ciphertext);
  EXPECT_EQ(cipher.decrypt("", "a").error(), ProtocolError::bad_ciphertext);
}

TEST(MessageCipher, RejectsKeyOfWrongLength) {
  EXPECT_EQ(MessageCipher::from_encoding_aes_key(kKey.substr(0, 42)).error(),
            ProtocolError::bad_aes_key);
  EXPECT_EQ(MessageCipher::from_encoding_aes_key(std::string(kKey) + "A").error(),
            ProtocolError::bad_aes_key);
  EXPECT_EQ(MessageCipher::from_encoding_aes_key("").error(), ProtocolError::bad_aes_key);
}

TEST(MessageCipher, RejectsKeyWithNonBase64Characters) {
  std::string key(kKey);
  key[5] = '*';
  EXPECT_EQ(MessageCipher::from_encoding_aes_key(key).error(), ProtocolError::bad_aes_key);
  key = std::string(kKey.substr(0, 42)) + "=";  // would decode to 31 bytes
  EXPECT_EQ(MessageCipher::from_encoding_aes_key(key).error(), ProtocolError::bad_aes_key);
}

TEST(MessageCipher, AcceptsCraftedPayloadWithValidPadding) {
  const auto plain = padded_to(framed("hello", "app", 5), 32, 4);
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").value(), "hello");
}

TEST(MessageCipher, AcceptsFullBlockOfThirtyTwoPaddingBytes) {
  const auto plain = padded_to(framed("0123456789", "ab", 10), 64, 32);  // 32 + 32
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "ab").value(), "0123456789");
}

TEST(MessageCipher, RejectsPaddingByteZero) {
  const auto plain = padded_to(framed("hello", "app", 5), 64, 0);
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").error(), ProtocolError::bad_padding);
}

TEST(MessageCipher, RejectsPaddingByteAboveThirtyTwo) {
  const auto plain = padded_to(framed("hello", "app", 5), 64, 33);
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").error(), ProtocolError::bad_padding);
}

TEST(MessageCipher, RejectsInconsistentPaddingBytes) {
  auto plain = padded_to(framed("hello", "app", 5), 32, 4);
  plain[plain.size() - 2] = 3;
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").error(), ProtocolError::bad_padding);
}

TEST(MessageCipher, RejectsLengthLongerThanPayload) {
  const auto plain = padded_to(framed("hello", "app", 1000), 32, 4);
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").error(),
            ProtocolError::bad_ciphertext);
}

TEST(MessageCipher, RejectsHugeLengthWithoutOverflow) {
  const auto plain = padded_to(framed("hello", "app", 0xffffffffu), 32, 4);
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(plain), "app").error(),
            ProtocolError::bad_ciphertext);
}

TEST(MessageCipher, RejectsPayloadShorterThanHeader) {
  // 32 bytes of padding leave 0 bytes: no room for the prefix and length.
  EXPECT_EQ(vector_cipher().decrypt(encrypt_raw(std::string(32, 32)), "app").error(),
            ProtocolError::bad_ciphertext);
}

}  // namespace
}  // namespace permit::wechat
