#pragma once

// What the staff and admin API handlers share: who is calling, and JSON
// responses.

#include "bot/server/http_types.hpp"
#include "bot/util/json.hpp"

#include <string>

namespace permit::handlers {

struct ApiCaller {
  std::string name;
  std::string role;
};

inline server::Response json_response(server::http::status code, std::string body, unsigned version) {
  return server::make_response(code, std::move(body) + "\n", version, "application/json");
}

// {"error": message, "field": pointer}
inline server::Response error_response(server::http::status code, const std::string& message, unsigned version,
                                       const std::string& field = "") {
  std::string body = "{\"error\":" + util::json_quote(message);
  if (!field.empty()) body += ",\"field\":" + util::json_quote(field);
  return json_response(code, body + "}", version);
}

}  // namespace permit::handlers
