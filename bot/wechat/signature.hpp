#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace permit::wechat {

// The `signature` query parameter: sha1 of token, timestamp and nonce,
// sorted and concatenated, as lowercase hex.
std::string sign(std::string_view token, std::string_view timestamp, std::string_view nonce);

// The `msg_signature` of safe mode: the same over four strings, the fourth
// being the Encrypt payload. Using `sign` here instead is a classic bug.
std::string sign_encrypted(std::string_view token, std::string_view timestamp,
                           std::string_view nonce, std::string_view encrypt);

// Constant-time comparison with `expected`, a digest in hex; `received`
// may be uppercase hex.
bool signature_valid(std::string_view received, std::string_view expected);

// True when `timestamp` is 1..19 decimal digits within max_skew_seconds of
// now_seconds (either side). Anything unparsable is not fresh.
bool timestamp_fresh(std::string_view timestamp, std::int64_t now_seconds,
                     std::int64_t max_skew_seconds);

}  // namespace permit::wechat
