#include "dialogs/script_schema.hpp"

#include "json/parse.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <map>

namespace permit::dialogs {
namespace {

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string render(const rapidjson::Value& v) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  v.Accept(writer);
  return buffer.GetString();
}

const char* type_name(const rapidjson::Value& v) {
  if (v.IsObject()) return "an object";
  if (v.IsArray()) return "an array";
  if (v.IsString()) return "a string";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  return "null";
}

// A reason for the failed keyword, from the schema rule and the value.
std::string describe(const std::string& keyword, const rapidjson::Value* rule, const rapidjson::Value* value) {
  if (rule == nullptr || value == nullptr) return "fails the schema rule " + in_quotes(keyword);
  if (keyword == "required" && rule->HasMember("required") && value->IsObject()) {
    for (const auto& name : (*rule)["required"].GetArray())
      if (!value->HasMember(name)) return "missing " + in_quotes(name.GetString());
  }
  if (keyword == "additionalProperties" && value->IsObject()) {
    const auto* properties = rule->HasMember("properties") ? &(*rule)["properties"] : nullptr;
    for (const auto& member : value->GetObject())
      if (properties == nullptr || !properties->HasMember(member.name))
        return "unknown field " + in_quotes(member.name.GetString());
  }
  if (keyword == "type" && rule->HasMember("type"))
    return "must be of type " + render((*rule)["type"]) + ", not " + type_name(*value);
  if (keyword == "enum" && rule->HasMember("enum")) return "must be one of " + render((*rule)["enum"]);
  if (keyword == "minLength") return "must not be empty";
  if (keyword == "pattern" && rule->HasMember("pattern"))
    return render(*value) + " does not match " + in_quotes((*rule)["pattern"].GetString());
  if (keyword == "minItems" && rule->HasMember("minItems"))
    return "needs at least " + render((*rule)["minItems"]) + " items";
  if (keyword == "minProperties") return "must not be empty";
  if (keyword == "minimum" && rule->HasMember("minimum")) return "must be at least " + render((*rule)["minimum"]);
  if (keyword == "maximum" && rule->HasMember("maximum")) return "must be at most " + render((*rule)["maximum"]);
  if (keyword == "oneOf") {
    if (rule->HasMember("description")) return "is none of the allowed forms: " + std::string((*rule)["description"].GetString());
    return "is none of the allowed forms";
  }
  return "fails the schema rule " + in_quotes(keyword);
}

}  // namespace

struct ScriptSchema::Impl {
  // One schema per kind of script: the kind's definition made the root,
  // next to the shared definitions it refers to. RapidJSON 1.1 reports a
  // failed top-level oneOf only as "oneOf" at the root, which helps nobody.
  struct Variant {
    rapidjson::Document document;
    std::unique_ptr<rapidjson::SchemaDocument> schema;
  };
  std::map<std::string, Variant> variants;
};

ScriptSchema::ScriptSchema() : impl_(std::make_unique<Impl>()) {}
ScriptSchema::ScriptSchema(ScriptSchema&&) noexcept = default;
ScriptSchema& ScriptSchema::operator=(ScriptSchema&&) noexcept = default;
ScriptSchema::~ScriptSchema() = default;

std::optional<ScriptSchema> ScriptSchema::parse(const std::string& schema_text, std::string& error) {
  rapidjson::Document source;
  if (!json::parse(source, schema_text) || !source.IsObject() ||
      !source.HasMember("definitions") || !source["definitions"].IsObject()) {
    error = "not a JSON Schema with definitions";
    return std::nullopt;
  }
  ScriptSchema schema;
  for (const char* kind : {"university", "common"}) {
    if (!source["definitions"].HasMember(kind) || !source["definitions"][kind].IsObject()) {
      error = std::string("no definition for ") + in_quotes(kind);
      return std::nullopt;
    }
    Impl::Variant variant;
    auto& alloc = variant.document.GetAllocator();
    variant.document.CopyFrom(source["definitions"][kind], alloc);
    variant.document.AddMember("definitions", rapidjson::Value(source["definitions"], alloc), alloc);
    variant.schema = std::make_unique<rapidjson::SchemaDocument>(variant.document);
    schema.impl_->variants.emplace(kind, std::move(variant));
  }
  return schema;
}

std::optional<ScriptSchema::Violation> ScriptSchema::check(const rapidjson::Document& script,
                                                          const std::string& kind) const {
  const auto& variant = impl_->variants.at(kind);
  rapidjson::SchemaValidator validator(*variant.schema);
  if (script.Accept(validator)) return std::nullopt;

  rapidjson::StringBuffer document_pointer;
  validator.GetInvalidDocumentPointer().Stringify(document_pointer);
  rapidjson::StringBuffer schema_pointer;
  validator.GetInvalidSchemaPointer().Stringify(schema_pointer);
  std::string at = document_pointer.GetString();
  std::string rule_at = schema_pointer.GetString();

  const rapidjson::Value* value = rapidjson::Pointer(at.c_str()).Get(script);
  const rapidjson::Value* rule = rapidjson::Pointer(rule_at.c_str()).Get(variant.document);
  const std::string keyword = validator.GetInvalidSchemaKeyword();
  // RapidJSON points at the unexpected member itself: so does the error,
  // so its line is the member's.
  if (keyword == "additionalProperties" && rule != nullptr && rule->HasMember("properties")) {
    auto slash = at.rfind('/');
    std::string name = slash == std::string::npos ? "" : at.substr(slash + 1);
    if (!name.empty() && !(*rule)["properties"].HasMember(name.c_str())) {
      return Violation{at, "unknown field " + in_quotes(name)};
    }
  }
  return Violation{at.empty() ? "/" : at, describe(keyword, rule, value)};
}

}  // namespace permit::dialogs
