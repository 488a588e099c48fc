#include "handlers/api_common.hpp"

namespace permit::handlers {

server::Response json_response(server::http::status code, std::string body, unsigned version) {
  return server::make_response(code, std::move(body) + "\n", version, "application/json");
}

server::Response json_answer(server::http::status code, unsigned version, const std::function<void(JsonWriter&)>& write) {
  return json_response(code, util::write_json(write), version);
}

server::Response error_response(server::http::status code, const std::string& message, unsigned version,
                                const std::string& field) {
  return json_answer(code, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("error");
    w.String(message);
    if (!field.empty()) {
      w.Key("field");
      w.String(field);
    }
    w.EndObject();
  });
}

server::Response bad_field(const util::FieldError& error, unsigned version) {
  return error_response(server::http::status::bad_request, error.message, version, error.pointer);
}

}  // namespace permit::handlers
