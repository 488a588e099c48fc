#include "bot/wechat/protocol_error.hpp"

#include <string>

namespace permit::wechat {
namespace {

class ProtocolCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "wechat"; }

  std::string message(int ev) const override {
    switch (static_cast<ProtocolError>(ev)) {
      case ProtocolError::bad_signature:
        return "signature does not match";
      case ProtocolError::stale_timestamp:
        return "timestamp is missing or outside the allowed skew";
      case ProtocolError::malformed_xml:
        return "body is not a flat <xml> document";
      case ProtocolError::forbidden_markup:
        return "body contains DOCTYPE, entity or processing-instruction markup";
      case ProtocolError::missing_field:
        return "a required field is missing";
      case ProtocolError::bad_field:
        return "a field has an invalid value";
      case ProtocolError::bad_aes_key:
        return "EncodingAESKey is not 43 base64 characters giving 32 bytes";
      case ProtocolError::bad_ciphertext:
        return "encrypted payload is not valid";
      case ProtocolError::bad_padding:
        return "encrypted payload has invalid padding";
      case ProtocolError::appid_mismatch:
        return "encrypted payload is for another appid";
    }
    return "unknown wechat protocol error";
  }
};

}  // namespace

const boost::system::error_category& protocol_category() noexcept {
  static const ProtocolCategory category;
  return category;
}

boost::system::error_code make_error_code(ProtocolError e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}

}  // namespace permit::wechat
