#pragma once

// Passwords of console accounts: hashed with scrypt, a memory-hard KDF.
//
// Why scrypt through OpenSSL rather than Argon2id through libargon2: the bot
// links OpenSSL already (TLS, SHA, AES), and EVP_PBE_scrypt is memory-hard
// too, so no new library or Debian package is needed for it.
//
// Stored form: "scrypt$LOG2N$R$P$SALT$KEY" (salt and key in base64), so the
// cost can be raised later and old hashes still verify.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace permit::accounts {

struct ScryptCost {
  // 2^15 * 8 * 128 bytes = 32 MiB of memory per hash, ~50-100 ms on one
  // core: slow for a guesser, fine for a person signing in.
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

inline constexpr std::size_t kMinPasswordLength = 10;
inline constexpr std::size_t kMaxPasswordLength = 256;

// Why a password is refused (a catalogue key the console translates), or
// nothing if it is acceptable: at least kMinPasswordLength characters
// (UTF-8 code points), at most kMaxPasswordLength bytes, and not the
// account's name (in any case).
std::optional<std::string> password_problem(std::string_view name, std::string_view password);

// A new random salt (16 bytes).
std::string new_salt();
// The stored form of the password with that salt. CPU work (~50-100 ms):
// run it off the I/O threads, and take the salt before (new_salt on the
// calling thread: OpenSSL's random generator crashed on the hashing thread).
std::string hash_password(std::string_view password, std::string_view salt, ScryptCost cost = {});
// Both, on this thread: for tests and the decoy.
inline std::string hash_password(std::string_view password, ScryptCost cost = {}) {
  return hash_password(password, new_salt(), cost);
}

// Constant-time comparison of the derived key. False for a malformed stored
// hash too.
bool verify_password(std::string_view password, std::string_view stored);

// A hash of a random password, made once: verified against when there is
// no such account, so that answer costs what a wrong password costs.
const std::string& decoy_hash();

}  // namespace permit::accounts
