#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <type_traits>

namespace permit::wechat {

// Why a webhook request from the platform was refused.
enum class ProtocolError {
  bad_signature = 1,
  stale_timestamp,
  malformed_xml,
  forbidden_markup,
  missing_field,
  bad_field,
  bad_aes_key,
  bad_ciphertext,
  bad_padding,
  appid_mismatch,
};

// Category named "wechat".
const boost::system::error_category& protocol_category() noexcept;

boost::system::error_code make_error_code(ProtocolError e) noexcept;

}  // namespace permit::wechat

template <>
struct boost::system::is_error_code_enum<permit::wechat::ProtocolError> : std::true_type {};
