#pragma once

#include "bot/util/field_error.hpp"

#include <rapidjson/document.h>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace permit::core {

// POST /api/v1/scripts/publish: {"base", "message", "migrate"}.
struct PublishRequest {
  std::int64_t base = 0;  // 0: the release the draft was based on
  std::string message;    // what changed and why; never empty
  // {"university": {"old node": "new node"}} as sent, "" for none: kept
  // with the release as written.
  std::string migrate_json;
};

// POST /api/v1/scripts/rollback: {"to", "base", "message"}.
struct RollbackRequest {
  std::int64_t to = 0;    // the release to serve again
  std::int64_t base = 0;  // 0: the current release
  std::string message;    // "" for the default
};

// The request's shape checked, pointing at the first field at fault; that
// the releases and universities exist is the publisher's to say.
[[nodiscard]] boost::system::result<PublishRequest, util::FieldError> read_publish_request(const rapidjson::Value& body);
[[nodiscard]] boost::system::result<RollbackRequest, util::FieldError> read_rollback_request(const rapidjson::Value& body);

}  // namespace permit::core
