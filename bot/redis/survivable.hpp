#pragma once

#include "bot/redis/redis_client.hpp"
#include "bot/util/log.hpp"

#include <string>
#include <string_view>

namespace permit::redis {

// The result of a write whose failure the system survives (it is redone
// later, or what it writes expires by itself): a failure is logged with
// what the write was for, and the caller goes on. Each call site says why
// its write is survivable.
inline void survivable(const Result& result, std::string_view what) {
  if (result && !result->is_error()) return;
  util::log("warn", std::string(what) + " not written: " +
                        (result ? result->str : result.error().message()));
}

}  // namespace permit::redis
