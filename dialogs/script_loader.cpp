#include "dialogs/script_loader.hpp"

#include "dialogs/json_position.hpp"
#include "dialogs/script_reader.hpp"
#include "dialogs/script_schema.hpp"
#include "dialogs/text.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace permit::dialogs {
namespace {

// Checks across files: ids, FAQ ids and aliases are unique.
void check_uniqueness(const ScriptSet& set, std::vector<ScriptError>& errors) {
  std::map<std::string, std::string> faq_owner, alias_owner;
  auto claim = [&](std::map<std::string, std::string>& owners, const std::string& key, const std::string& file,
                   const std::string& pointer, const char* what) {
    auto [it, fresh] = owners.emplace(key, file);
    if (!fresh) errors.push_back({file, pointer, std::string(what) + " " + in_quotes(key) + " is also used in " + it->second});
  };
  for (std::size_t i = 0; i < set.common.faq.size(); ++i)
    claim(faq_owner, set.common.faq[i].id, "common.json", "/faq/" + std::to_string(i) + "/id", "the FAQ id");
  for (const auto& u : set.universities) {
    const std::string file = u.id + ".json";
    for (std::size_t i = 0; i < u.faq.size(); ++i)
      claim(faq_owner, u.faq[i].id, file, "/faq/" + std::to_string(i) + "/id", "the FAQ id");
    for (std::size_t i = 0; i < u.aliases.size(); ++i)
      claim(alias_owner, u.aliases[i], file, "/aliases/" + std::to_string(i), "the alias");
  }
}

// Universities name date kinds and attributes that common.json defines.
void check_references(const ScriptSet& set, std::vector<ScriptError>& errors) {
  std::set<std::string> kinds, attributes;
  for (const auto& k : set.common.dates) kinds.insert(k.id);
  for (const auto& a : set.common.attributes) attributes.insert(a.id);
  for (std::size_t i = 0; i < set.common.faq.size(); ++i)
    if (!set.common.faq[i].about.empty())
      errors.push_back({"common.json", "/faq/" + std::to_string(i) + "/about", "common entries are about no thing"});
  for (const auto& u : set.universities) {
    const std::string file = u.id + ".json";
    for (const auto* rules : {&u.deadlines, &u.expected})
      for (std::size_t i = 0; i < rules->size(); ++i)
        if (!kinds.contains((*rules)[i].date))
          errors.push_back({file, (rules == &u.deadlines ? "/deadlines/" : "/expected/") + std::to_string(i) + "/date",
                            in_quotes((*rules)[i].date) + " is not a date kind in common.json"});
    for (std::size_t i = 0; i < u.things.size(); ++i)
      for (const auto& [attribute, fact] : u.things[i].facts)
        if (!attributes.contains(attribute))
          errors.push_back({file, "/things/" + std::to_string(i) + "/facts/" + escape_pointer_token(attribute),
                            in_quotes(attribute) + " is not an attribute in common.json"});
  }
}

}  // namespace

std::string ScriptError::to_string() const {
  std::string s = file + ": " + pointer + ": " + reason;
  if (line > 0 && !reason.starts_with("not valid JSON"))
    s += " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  return s;
}

const std::vector<std::string>& known_placeholders() {
  static const std::vector<std::string> names = {
      "university", "office", "document", "list", "choices", "date", "expiry", "deadline", "days",
      "to", "lateness", "source", "n", "total", "title", "item", "items", "done", "left", "topic",
      "noted", "only", "written", "thing", "attribute", "fact", "question", "current", "heard", "steps", "topic",
      "length", "rows", "rest", "word", "case", "past", "next", "each", "sum", "unit", "weekday", "label"};
  return names;
}

const std::vector<std::string>& required_texts() {
  static const std::vector<std::string> keys = {
      "welcome", "choose_university", "university_set", "unsupported", "help", "menu", "language_set",
      "not_found", "not_found_no_topics", "source", "staff", "delete_confirm", "delete_done", "delete_cancelled",
      "not_started", "step_header", "label_do", "label_where", "label_hours", "label_bring", "label_cost",
      "label_duration", "label_note", "not_stated", "step_footer", "question_footer", "at_first_step", "end_footer",
      "progress", "progress_question", "progress_end", "progress_item_done", "progress_item_left", "ticked", "unticked", "no_such_item", "no_checklist",
      "restarted", "deadline", "deadline_lateness", "deadline_passed", "date_past", "expiry_passed", "expected", "expected_workdays",
      "date_ambiguous", "date_awaited", "date_invalid", "date_partial", "date_year_unclear", "reminder", "reminder_silent", "reminders_set",
      "reminders_stopped", "date_needs_university", "choice_invalid", "ask_question", "deadline_none",
      "deadline_only", "deadline_same_time", "date_year_assumed", "today_is", "date_ask", "fact", "fact_only", "fact_not_given",
      "fact_note", "part_offer", "part_not_found", "other_university", "at_university", "voice_heard", "voice_unrecognised",
      "next_step", "next_step_none", "next_step_footer", "step_at", "attribute_not_in_answer", "attribute_not_given", "fine_amount", "fine_for_days", "fine_for_days_capped", "day_is", "weekday_names",
      "by_length", "by_length_none", "thing_name", "steps", "which_thing", "state_kept", "page_step", "first_step", "unmentioned", "unmentioned_offer", "next_step_depends", "expected_elsewhere", "next_step_otherwise", "others_date", "others_date_passed", "others_date_none", "others_date_plain",
      "your_case", "plan_in_time", "plan_late", "valid_until", "invalid_after", "own_date_missing"};
  return keys;
}

const std::vector<std::string>& required_commands() {
  static const std::vector<std::string> keys = {"start", "next", "back", "progress", "menu", "help", "restart", "done",
                                                "english", "chinese", "delete", "yes", "no", "staff", "change_university",
                                                "stop_reminders", "pointers", "question_words", "interrogatives", "filler",
                                                "negation", "own_university"};
  return keys;
}

LoadResult load_scripts(const std::map<std::string, std::string>& files, const std::string& schema_text) {
  LoadResult result;
  auto& errors = result.errors;
  std::string schema_error;
  auto schema = ScriptSchema::parse(schema_text, schema_error);
  if (!schema) {
    errors.push_back({"schema.json", "/", schema_error});
    return result;
  }
  ScriptSet set;
  bool have_common = false;
  for (const auto& [name, content] : files) {
    if (!name.ends_with(".json")) continue;  // transcripts and notes travel with the scripts
    rapidjson::Document doc;
    if (auto parsed = json::parse(doc, content); !parsed) {
      auto at = position_at(content, parsed.offset());
      errors.push_back({name, "/",
                        "not valid JSON at line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                            ": " + parsed.message(),
                        at.line, at.column});
      continue;
    }
    const bool is_common = name == "common.json";
    if (auto violation = schema->check(doc, is_common ? "common" : "university")) {
      errors.push_back({name, violation->pointer, violation->reason});
      continue;
    }
    ScriptReader reader(name, errors);
    if (is_common) {
      set.common = reader.common(doc);
      have_common = true;
    } else {
      set.universities.push_back(reader.university(doc, name.substr(0, name.size() - 5)));
    }
  }
  if (!have_common) errors.push_back({"common.json", "/", "missing: the bot's own texts and commands live there"});
  if (set.universities.empty()) errors.push_back({"<scripts>", "/", "no university script"});
  check_uniqueness(set, errors);
  if (have_common) check_references(set, errors);
  // Every error in a file gets its line and column.
  for (auto& e : errors) {
    auto file = files.find(e.file);
    if (e.line > 0 || file == files.end()) continue;
    auto at = locate(file->second, e.pointer);
    e.line = at.line;
    e.column = at.column;
  }
  if (errors.empty()) result.scripts = std::move(set);
  return result;
}

ScriptFiles read_script_files(const std::string& directory) {
  namespace fs = std::filesystem;
  ScriptFiles out;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    out.error = ScriptError{directory, "/", "is not a directory"};
    return out;
  }
  bool have_schema = false;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const auto name = entry.path().filename().string();
    const auto ext = entry.path().extension();
    if (ext != ".json" && ext != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (name == "schema.json") {
      out.schema = bytes.str();
      have_schema = true;
    } else {
      out.files.emplace(name, bytes.str());
    }
  }
  if (!have_schema) out.error = ScriptError{"schema.json", "/", "missing from " + directory};
  return out;
}

LoadResult load_scripts(const ScriptFiles& read) {
  if (read.error) {
    LoadResult r;
    r.errors.push_back(*read.error);
    return r;
  }
  return load_scripts(read.files, read.schema);
}

LoadResult load_scripts(const std::string& directory) { return load_scripts(read_script_files(directory)); }

}  // namespace permit::dialogs
