#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace permit::util {

// Standard alphabet, with '=' padding.
std::string base64_encode(std::string_view data);

// Strict: the length must be a multiple of 4, only the standard alphabet is
// allowed, and '=' may appear only as one or two final characters. No
// whitespace. Unused low bits of the last symbol are ignored, because
// WeChat's EncodingAESKey + "=" relies on that. Returns nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace permit::util
