#include "bot/scripts/publish_request.hpp"

#include "bot/util/json.hpp"

#include <optional>

namespace permit::core {
namespace {

using util::FieldError;

const FieldError kNotAnObject{"/", "the body must be a JSON object"};

// A release number member: 0 when absent, nullopt when not a positive integer.
std::optional<std::int64_t> release_member(const rapidjson::Value& body, const char* name) {
  auto it = body.FindMember(name);
  if (it == body.MemberEnd()) return 0;
  if (!it->value.IsInt64() || it->value.GetInt64() <= 0) return std::nullopt;
  return it->value.GetInt64();
}

// {"university": {"old node": "new node", ...}, ...}
std::optional<FieldError> migrate_error(const rapidjson::Value& migrate) {
  if (!migrate.IsObject()) return FieldError{"/migrate", "must be an object"};
  for (const auto& u : migrate.GetObject()) {
    const std::string at = std::string("/migrate/") + u.name.GetString();
    if (!u.value.IsObject()) return FieldError{at, "must map old node ids to new ones"};
    for (const auto& n : u.value.GetObject())
      if (!n.value.IsString()) return FieldError{at + "/" + n.name.GetString(), "must be a node id"};
  }
  return std::nullopt;
}

}  // namespace

boost::system::result<PublishRequest, FieldError> read_publish_request(const rapidjson::Value& body) {
  if (!body.IsObject()) return kNotAnObject;
  PublishRequest out;
  const auto base = release_member(body, "base");
  if (!base) return FieldError{"/base", "must be a release number"};
  out.base = *base;
  out.message = util::string_field(body, "message");
  if (out.message.empty()) return FieldError{"/message", "say what changed and why"};
  if (auto it = body.FindMember("migrate"); it != body.MemberEnd()) {
    if (auto error = migrate_error(it->value)) return std::move(*error);
    out.migrate_json = util::to_json(it->value);
  }
  return out;
}

boost::system::result<RollbackRequest, FieldError> read_rollback_request(const rapidjson::Value& body) {
  if (!body.IsObject()) return kNotAnObject;
  RollbackRequest out;
  const auto to = release_member(body, "to");
  if (!to || *to == 0) return FieldError{"/to", "the release to go back to"};
  out.to = *to;
  const auto base = release_member(body, "base");
  if (!base) return FieldError{"/base", "must be a release number"};
  out.base = *base;
  out.message = util::string_field(body, "message");
  return out;
}

}  // namespace permit::core
