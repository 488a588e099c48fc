#include "bot/accounts/password.hpp"

#include "bot/util/base64.hpp"
#include "bot/util/digest.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <vector>

namespace permit::accounts {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// Upper bound for the cost a stored hash may ask for: a forged or corrupt
// hash must not make a sign-in allocate gigabytes.
constexpr int kMaxLog2N = 20;
constexpr std::uint64_t kMaxMemory = 1ull << 30;

std::optional<std::string> derive(std::string_view password, std::string_view salt, int log2_n, int r, int p) {
  std::string key(kKeyBytes, '\0');
  const std::uint64_t n = 1ull << log2_n;
  if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()),
                     salt.size(), n, static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(p), kMaxMemory,
                     reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1)
    return std::nullopt;
  return key;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::optional<int> small_int(std::string_view s) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || v < 1 || v > 64) return std::nullopt;
  return v;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::optional<std::string> password_problem(std::string_view name, std::string_view password) {
  if (code_points(password) < kMinPasswordLength) return "password_too_short";
  if (password.size() > kMaxPasswordLength) return "password_too_long";
  if (lower(password) == lower(name)) return "password_is_name";
  return std::nullopt;
}

std::string new_salt() { return util::random_bytes(kSaltBytes); }

std::string hash_password(std::string_view password, std::string_view salt, ScryptCost cost) {
  auto key = derive(password, salt, cost.log2_n, cost.r, cost.p);
  // Only fails on an impossible cost or out of memory: both are bugs or a
  // dying process, not input.
  if (!key) std::abort();
  return "scrypt$" + std::to_string(cost.log2_n) + "$" + std::to_string(cost.r) + "$" + std::to_string(cost.p) + "$" +
         util::base64_encode(salt) + "$" + util::base64_encode(*key);
}

bool verify_password(std::string_view password, std::string_view stored) {
  const auto parts = split(stored, '$');
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  auto log2_n = small_int(parts[1]), r = small_int(parts[2]), p = small_int(parts[3]);
  auto salt = util::base64_decode(parts[4]);
  auto expected = util::base64_decode(parts[5]);
  if (!log2_n || !r || !p || !salt || !expected || *log2_n > kMaxLog2N || expected->size() != kKeyBytes) return false;
  auto key = derive(password, *salt, *log2_n, *r, *p);
  return key && util::constant_time_equals(*key, *expected);
}

const std::string& decoy_hash() {
  static const std::string hash = hash_password(util::random_bytes(24));
  return hash;
}

}  // namespace permit::accounts
