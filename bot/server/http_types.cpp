#include "bot/server/http_types.hpp"

#include <boost/beast/http/field.hpp>

namespace permit::server {

Response make_response(http::status status, std::string body, unsigned version, std::string_view content_type) {
  Response res{status, version};
  res.set(http::field::server, "permit-bot");
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace permit::server
