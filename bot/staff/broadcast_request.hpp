#pragma once

#include "bot/staff/broadcasts.hpp"
#include "bot/util/field_error.hpp"

#include <rapidjson/document.h>
#include <boost/system/result.hpp>

#include <functional>
#include <string>

namespace permit::core {

// Whether a university id names one of the scripts served now.
using UniversityCheck = std::function<bool(const std::string&)>;

// The broadcast a POST /api/v1/broadcasts body asks for, or the first field
// at fault:
//   {"audience": {"all": true | "university" | "step" | "expiry_from" |
//                 "expiry_to" | "lang"},
//    "text": {"en": ..., "zh": ...}, "send_at": unix seconds}
// An audience needs at least one filter (or "all": true). A dry run only
// counts the audience: its text and send_at are not read.
[[nodiscard]] boost::system::result<BroadcastSpec, util::FieldError> read_broadcast_request(
    const rapidjson::Value& body, bool dry_run, const UniversityCheck& known_university);

}  // namespace permit::core
