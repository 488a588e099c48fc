#pragma once

#include "bot/server/http_types.hpp"

#include <optional>
#include <string>

namespace permit::server {

// A response as one string, the bytes Beast's serializer writes for it:
// the status line (the response's reason, or the status's standard one),
// the fields in their order, a blank line, the body. Written with one
// async_write, it costs a fraction of http::async_write, whose nested
// buffer sequences took about 20k instructions per response; the webhook's
// request went from 133k to 117k (bench/profile.sh). Nothing for a chunked
// response: Beast writes those.
[[nodiscard]] std::optional<std::string> response_bytes(const Response& response);

}  // namespace permit::server
