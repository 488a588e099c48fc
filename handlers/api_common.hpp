#pragma once

// What the API handlers share: who is calling, and JSON answers written
// with RapidJSON's Writer.

#include "bot/server/http_types.hpp"
#include "bot/util/field_error.hpp"
#include "bot/util/json.hpp"

#include <functional>
#include <string>

namespace permit::handlers {

struct ApiCaller {
  std::string name;
  std::string role;
};

using util::JsonWriter;

// An answer whose body is JSON already written (by the logic it comes from).
server::Response json_response(server::http::status code, std::string body, unsigned version);
// An answer whose body `write` fills in, as one JSON value.
server::Response json_answer(server::http::status code, unsigned version, const std::function<void(JsonWriter&)>& write);

// {"error": message, "field": pointer}: the staff and admin API's refusal.
server::Response error_response(server::http::status code, const std::string& message, unsigned version,
                                const std::string& field = "");
// 400 naming the field at fault.
server::Response bad_field(const util::FieldError& error, unsigned version);

}  // namespace permit::handlers
