#pragma once

// Internal to the loader: turns one schema-valid script document into the
// model, and checks what the schema cannot express within that file.
// Checks across files (ids, aliases, references to common.json) are the
// loader's.

#include "dialogs/script.hpp"
#include "dialogs/script_loader.hpp"

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace permit::dialogs {

class ScriptReader {
 public:
  ScriptReader(std::string file, std::vector<ScriptError>& errors) : file_(std::move(file)), errors_(errors) {}

  Common common(const rapidjson::Value& v);
  University university(const rapidjson::Value& v, const std::string& expected_id);

 private:
  using Json = rapidjson::Value;
  void error(const std::string& pointer, std::string reason);
  Text text(const Json& v, const std::string& at);
  std::optional<Text> optional_text(const Json& parent, const char* name, const std::string& at);
  std::optional<Source> source(const Json& parent, const char* name, const std::string& at);
  // Words a student may use, normalised as the engine will compare them:
  // one that normalises to nothing is refused.
  std::vector<std::string> words(const Json& phrases, const std::string& at);
  Condition condition(const Json& v);
  std::vector<Edge> edges(const Json& v);
  Faq faq(const Json& v, const std::string& at);
  std::vector<Faq> faqs(const Json& v, const std::string& at);
  Node node(const std::string& id, const Json& v, const std::string& at);
  DatedRule dated_rule(const Json& v, const std::string& at, const std::string& seed);
  Thing thing(const Json& v, const std::string& at, const std::string& seed);
  Fact fact(const Json& v, const std::string& at, const std::string& seed);
  void check_source(const std::optional<Source>& s, const std::string& seed, const std::string& at);
  void check_graph(const University& u);
  void check_things(const University& u);
  void check_placeholders(const std::string& s, const std::string& at);

  std::string file_;
  std::vector<ScriptError>& errors_;
};

std::string escape_pointer_token(std::string_view token);
std::string in_quotes(std::string_view s);  // "s", for messages

}  // namespace permit::dialogs
