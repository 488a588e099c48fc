#pragma once

#include "bot/wechat/protocol_error.hpp"

#include <boost/system/result.hpp>

#include <array>
#include <string>
#include <string_view>

namespace permit::wechat {

// Safe-mode payload encryption: AES-256-CBC with IV = key[0..16), PKCS#7
// padding to a multiple of 32 (not the AES block size), plaintext
// random(16) || len(4, big-endian) || xml || appid.
class MessageCipher {
 public:
  // key43 is the EncodingAESKey from the platform console: 43 base64
  // characters that decode, with "=" appended, to 32 bytes.
  [[nodiscard]] static boost::system::result<MessageCipher> from_encoding_aes_key(std::string_view key43);

  // Returns the inner xml; fails with a ProtocolError, never throws on input.
  [[nodiscard]] boost::system::result<std::string> decrypt(std::string_view encrypt_base64,
                                             std::string_view expected_appid) const;

  // Base64 ciphertext with a fresh random 16-byte prefix.
  std::string encrypt(std::string_view xml, std::string_view appid) const;

  // Deterministic variant for tests; random16 must be exactly 16 bytes.
  std::string encrypt_with_prefix(std::string_view random16, std::string_view xml,
                                  std::string_view appid) const;

 private:
  explicit MessageCipher(const std::array<unsigned char, 32>& key) : key_(key) {}

  std::array<unsigned char, 32> key_;
};

}  // namespace permit::wechat
