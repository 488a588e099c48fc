#include "bot/util/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>

namespace permit::util {
namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(n * 2, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = digits[bytes[i] >> 4];
    out[2 * i + 1] = digits[bytes[i] & 0x0f];
  }
  return out;
}

std::string digest_hex(const EVP_MD* md, std::string_view data) {
  // One context per thread, initialised again for each digest: EVP_Digest
  // makes and frees one each time, about 400 of the 2,500 instructions the
  // webhook's signature digest took.
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                                     &EVP_MD_CTX_free);
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  // Hashing in-memory data only fails when the library is broken or out of
  // memory; an empty digest would silently match nothing, so stop instead.
  if (!context || EVP_DigestInit_ex2(context.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), out, &out_len) != 1) {
    std::abort();
  }
  return to_hex(out, out_len);
}

// Fetched once: EVP_sha1() makes OpenSSL 3 look the algorithm up on every
// digest, which costs as much as hashing a short message.
const EVP_MD* fetched(const char* name) {
  const EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (md == nullptr) std::abort();
  return md;
}

}  // namespace

std::string sha1_hex(std::string_view data) {
  static const EVP_MD* const md = fetched("SHA1");
  return digest_hex(md, data);
}

std::string sha256_hex(std::string_view data) {
  static const EVP_MD* const md = fetched("SHA256");
  return digest_hex(md, data);
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    // Still walk the content so the answer costs the same as a full compare.
    (void)CRYPTO_memcmp(a.data(), a.data(), a.size());
    return false;
  }
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  std::size_t done = 0;
  while (done < n) {
    // RAND_bytes takes an int; large requests go in chunks.
    const int chunk = static_cast<int>(std::min<std::size_t>(n - done, INT_MAX));
    if (RAND_bytes(p + done, chunk) != 1) {
      std::abort();
    }
    done += static_cast<std::size_t>(chunk);
  }
  return out;
}

}  // namespace permit::util
