#pragma once

#include "dialogs/dates.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace permit::dialogs {

// The content the engine speaks, loaded from dialogs/scripts/*.json by
// script_loader. Nothing here is about a particular university: that is
// all in the data.

enum class Lang { en, zh };

inline const char* lang_code(Lang lang) { return lang == Lang::zh ? "zh" : "en"; }

struct Text {
  std::string en, zh;
  const std::string& in(Lang lang) const { return lang == Lang::zh ? zh : en; }
};

// Where a fact comes from: a seed page and the article or step in it.
struct Source {
  std::string seed;
  Text ref;
};

struct Faq {
  std::string id;  // unique across all scripts
  Text topic;
  std::vector<std::string> questions;  // both languages: the ranker's index
  Text answer;
  std::optional<Source> source;  // always set for a university's entries
};

// Walkthrough answers that must all hold, e.g. campus=off.
using Condition = std::vector<std::pair<std::string, std::string>>;

struct Edge {
  Condition when;
  std::string to;
};

struct Option {
  Text label;
  Condition set;
  std::vector<Edge> next;
};

struct ChecklistItem {
  Text text;
  Condition when;
};

struct Node {
  enum class Kind { question, step, end };
  Kind kind = Kind::step;
  std::string id;
  Text text;  // question text, step title, or end text
  std::optional<Text> action, where, hours, cost, duration, note;
  std::vector<ChecklistItem> bring;
  std::vector<Option> options;
  std::optional<Source> source;
  std::vector<Edge> next;
};

struct Deadline {
  DeadlineRule rule;
  Text to;
  Source source;
  std::optional<Text> lateness;
  std::optional<Source> lateness_source;
};

struct University {
  std::string id;
  Text name, short_name;
  std::optional<Text> city;
  std::vector<std::string> aliases;  // normalised (lower case)
  Text document, office;
  std::string seed;
  std::optional<Deadline> deadline;
  std::vector<Faq> faq;
  std::string start;
  std::map<std::string, Node> nodes;
};

struct Common {
  std::map<std::string, Text> texts;
  std::map<std::string, std::vector<std::string>> commands;  // normalised phrases
  std::vector<std::vector<std::string>> synonyms;
  std::vector<Faq> faq;

  // A text the loader has checked exists.
  const Text& text(const std::string& key) const { return texts.at(key); }
};

struct ScriptSet {
  Common common;
  std::vector<University> universities;  // in file-name order: the numbered list
};

}  // namespace permit::dialogs
