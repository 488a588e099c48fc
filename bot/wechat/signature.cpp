#include "bot/wechat/signature.hpp"

#include "bot/util/digest.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <span>

namespace permit::wechat {
namespace {

std::string sign_sorted(std::span<std::string_view> parts) {
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (const auto part : parts) {
    joined.append(part);
  }
  return util::sha1_hex(joined);
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string sign(std::string_view token, std::string_view timestamp, std::string_view nonce) {
  std::array<std::string_view, 3> parts{token, timestamp, nonce};
  return sign_sorted(parts);
}

std::string sign_encrypted(std::string_view token, std::string_view timestamp,
                           std::string_view nonce, std::string_view encrypt) {
  std::array<std::string_view, 4> parts{token, timestamp, nonce, encrypt};
  return sign_sorted(parts);
}

bool signature_valid(std::string_view received, std::string_view expected) {
  // Lowered on the stack, not into a string: a digest in hex is 64
  // characters at most, and nothing longer can match one.
  std::array<char, 64> lowered;
  if (received.size() > lowered.size()) return false;
  std::transform(received.begin(), received.end(), lowered.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return util::constant_time_equals(std::string_view(lowered.data(), received.size()), expected);
}

bool timestamp_fresh(std::string_view timestamp, std::int64_t now_seconds,
                     std::int64_t max_skew_seconds) {
  // from_chars alone would accept a leading '-'; the platform sends digits.
  if (timestamp.empty() || timestamp.size() > 19 || !all_digits(timestamp) ||
      max_skew_seconds < 0) {
    return false;
  }
  std::int64_t ts = 0;
  const auto [end, ec] = std::from_chars(timestamp.data(), timestamp.data() + timestamp.size(), ts);
  if (ec != std::errc{} || end != timestamp.data() + timestamp.size()) {
    return false;  // 19 digits can still overflow int64
  }
  // The distance between two int64 always fits in uint64; the signed
  // subtraction could overflow for a hostile `now`.
  const auto uts = static_cast<std::uint64_t>(ts);
  const auto unow = static_cast<std::uint64_t>(now_seconds);
  const std::uint64_t distance = ts >= now_seconds ? uts - unow : unow - uts;
  return distance <= static_cast<std::uint64_t>(max_skew_seconds);
}

}  // namespace permit::wechat
