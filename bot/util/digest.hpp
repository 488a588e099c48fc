#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace permit::util {

// Lowercase hex digests, as the WeChat signatures are compared.
std::string sha1_hex(std::string_view data);
std::string sha256_hex(std::string_view data);

// Compares in time that depends only on the lengths, never on where the
// contents first differ, so a signature cannot be guessed byte by byte.
bool constant_time_equals(std::string_view a, std::string_view b);

// Cryptographically strong bytes; aborts if the system RNG fails, because
// carrying on with predictable bytes would be worse than stopping.
std::string random_bytes(std::size_t n);

}  // namespace permit::util
