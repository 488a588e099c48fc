#pragma once

#include "dialogs/script.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace permit::dialogs {

// One reason a script is refused: the file, the JSON pointer of the value
// at fault ("" for the whole file) and what is wrong with it.
struct ScriptError {
  std::string file;
  std::string pointer;
  std::string reason;
  int line = 0;  // where the pointer leads in the file; 0 when not known
  int column = 0;

  // "cqupt.json: /faq/3/source: missing \"seed\" (line 12, column 7)"
  std::string to_string() const;
};

struct LoadResult {
  std::optional<ScriptSet> scripts;  // set only when there are no errors
  std::vector<ScriptError> errors;
};

// The files of a scripts directory: the scripts (*.json) and transcripts
// (*.txt) by name, and schema.json apart (it belongs to the code).
struct ScriptFiles {
  std::map<std::string, std::string> files;
  std::string schema;
  std::optional<ScriptError> error;  // no directory, or no schema
};
ScriptFiles read_script_files(const std::string& directory);

// Loads and checks dialogs/scripts: schema.json, common.json and one file
// per university. Each file is validated against the schema, then for
// meaning (targets, reachability, sources, placeholders, uniqueness).
LoadResult load_scripts(const std::string& directory);
// The same from files already read (their read error, if any, is the error).
LoadResult load_scripts(const ScriptFiles& read);

// The same from memory: file name -> content, plus the schema text. Only
// the *.json files are scripts; the rest (transcripts) is left alone.
LoadResult load_scripts(const std::map<std::string, std::string>& files, const std::string& schema);

// The placeholders the engine fills in common texts, and the texts and
// commands it needs; the loader refuses a common.json that lacks one.
const std::vector<std::string>& required_texts();
const std::vector<std::string>& required_commands();
const std::vector<std::string>& known_placeholders();

}  // namespace permit::dialogs
