#pragma once

#include <rapidjson/document.h>

#include <memory>
#include <optional>
#include <string>

namespace permit::dialogs {

// Validates one script document against dialogs/scripts/schema.json with
// RapidJSON's schema validator, and turns its terse verdict (a schema
// keyword and two pointers) into a reason a script author can act on.
class ScriptSchema {
 public:
  struct Violation {
    std::string pointer;  // into the script
    std::string reason;
  };

  // Fails (with a reason) when the schema text itself is unusable.
  static std::optional<ScriptSchema> parse(const std::string& schema_text, std::string& error);

  // kind: "university" or "common", the schema definition to check against.
  std::optional<Violation> check(const rapidjson::Document& script, const std::string& kind) const;

  ScriptSchema(ScriptSchema&&) noexcept;
  ScriptSchema& operator=(ScriptSchema&&) noexcept;
  ~ScriptSchema();

 private:
  ScriptSchema();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace permit::dialogs
