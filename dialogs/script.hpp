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

// An answer that depends on how long a permit is ("400 RMB for less than
// 1 year; 800 RMB for less than 3 years"): a student who says the length
// gets the row for it, not the whole table.
struct ByLength {
  struct Row {
    double upto_months;  // the row holds up to this length; rows in increasing order
    Text text;           // the row with its condition, as the page says it
  };
  std::vector<Row> rows;
  Text rest;  // what holds for every length (how to pay)
};

// Walkthrough answers that must all hold, e.g. campus=off.
using Condition = std::vector<std::pair<std::string, std::string>>;

// An answer that differs by the student's case ("Off campus: a contract;
// on campus: the fee's receipt"): a student who says theirs gets its row.
struct ByCase {
  struct Row {
    Condition set;                   // the case, as walkthrough answers
    std::vector<std::string> words;  // how a student says it; normalised
    Text text;                       // the row with its case, as the page says it
  };
  std::vector<Row> rows;
};

// A fine given per day of overstay, and its cap: "500 yuan for each day,
// not more than 10,000 yuan in total".
struct PerDay {
  long amount = 0, at_most = 0;
  Text unit;  // "yuan", "元"
};

struct Faq {
  std::string id;  // unique across all scripts
  Text topic;
  std::vector<std::string> questions;  // both languages: the ranker's index
  Text answer;
  std::optional<Source> source;  // always set for a university's entries
  std::string about;  // the thing it is about, if one: follow-ups then ask about that thing
  std::optional<ByLength> by_length;
  std::optional<ByCase> by_case;
  std::optional<PerDay> per_day;
  // A limit that is the student's own permit's expiry (JSNU Article 5: a
  // family member may not stay beyond it): said with their date ({date})
  // when they gave it.
  std::optional<Text> until_expiry;
  // The walkthrough answers of a student who says this of themselves ("I'm
  // at Tongji Medical College": tongji=yes), kept for their next questions.
  Condition situation;
};


struct Edge {
  Condition when;
  std::string to;
};

struct Option {
  Text label;
  Condition set;
  std::vector<Edge> next;
  // Said of themselves, the student's case is this option's (normalised).
  std::vector<std::string> words;
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
  std::string thing;  // the thing this step happens at, if one
};

// A kind of date a student may tell the bot: their permit's expiry, the
// day they received the university's letter, moved, arrived... Common to
// every university; the words around a date say which kind it is.
struct DateKind {
  std::string id;
  Text label;   // "the date your residence permit expires", offered when asking
  Text noted;   // "Your permit expires on {date}."
  std::optional<Text> silent;  // said when the university sets no rule for it
  std::vector<std::string> words;  // normalised, both languages
  // An event that is over when a student tells of it with a verb of the
  // past (a letter received, an examination): its day without a year is
  // then the last such day. Not an expiry or a departure.
  bool done_when_told = false;
};

// A university's rule on a kind of date: "apply at least one month before
// your permit expires", "hand in a copy within 30 days after receiving the
// letter".
struct DatedRule {
  std::string date;  // a DateKind id
  Offset offset;
  Text to;  // what must be done by then
  Source source;
  std::optional<Text> only;  // the condition under which the rule holds
  // Words that tell the student is in that case ("transferred"): a date of
  // this kind told without any is asked about, not taken as this case's
  // ("I arrived on 1 December" may be an entry on an X1 visa). Normalised.
  std::vector<std::string> case_words;
  // ...and the case as walkthrough answers ({"status": "transfer"}): told
  // earlier ("我是从南京的学校转学过来的"), it holds for the date told next.
  Condition case_set;
  // Said when the date has passed, where "the latest date has passed" is
  // not the whole of it ("your examination record is no longer valid").
  std::optional<Text> passed;
  std::optional<Text> lateness;
  std::optional<Source> lateness_source;
  // The place (a thing's id) the event counted from happens at ("window1":
  // HUST's submission); "" for anywhere. A date told at another place the
  // student names ("at the citizens home") is not counted by this rule.
  std::string at;
};

// What a student may ask about a place, office or step: its address,
// opening hours, fee... (common.json, in order of precedence when a
// question names several).
struct Attribute {
  std::string id;
  Text label;                      // "opening hours"
  std::vector<std::string> words;  // normalised, both languages
  // What an answer that gives it holds ("RMB", "元" for a fee): an FAQ
  // entry with none of these does not answer a question about it.
  std::vector<std::string> evidence;
  // Not a property of a place but of an event ("I lost my passport"):
  // answered by an entry that gives it, else "the page does not say" (not
  // by a place's missing fact).
  bool by_entries = false;
  // Where a place is and when it opens: asked of a place pointed at
  // ("the address of that office"), only that place's own answer gives it.
  bool of_a_place = false;
  // How long, how much, where, when open: a property of whatever the
  // question's other words are about, so never another topic's.
  bool property = false;
};

// One attribute of a thing, as the page gives it. When the page is silent
// the fact is `stated = false`, and `text`, if set, is what the page does
// say instead ("It says only that you pay at Counters 2 and 3").
struct Fact {
  bool stated = true;
  std::optional<Text> text;
  std::string faq;  // or: the answer is this FAQ entry's
  std::optional<Source> source;
  std::optional<Text> only;  // the condition under which the page states it
};

// A place, office or step a student asks about: "the Immigration Office",
// "the physical examination".
struct Thing {
  std::string id;
  bool main = false;  // the permit application itself: asked about when no thing is named
  Text label;
  std::vector<std::string> names;  // normalised, both languages
  std::map<std::string, Fact> facts;  // attribute id -> fact; an attribute not here is not on the page
  // The entry on what is done inside the place (the Immigration Office's
  // counters): "where do I hand in my documents?" from a student there.
  std::string inside;
};

// A case the page does not cover, and what the bot says to a student who
// names it: CQUPT's page is on extensions only, so a first permit is told
// that before the extension's answer.
struct Outside {
  std::vector<std::string> words;   // normalised, both languages
  std::vector<std::string> unless;  // the page's own case: "first time extending" is not a first permit
  Text says;
  Text then;  // before the page's own answer, when one follows
};

struct University {
  std::string id;
  Text name, short_name;
  std::optional<Text> city;
  std::vector<std::string> aliases;  // normalised (lower case)
  Text document, office;
  std::vector<Outside> outside;
  std::string seed;
  std::vector<DatedRule> deadlines;
  // When something is normally ready, counted from a date the student
  // gives ("your permit is normally ready 15 workdays after the Progress
  // Note"): told, not reminded of; `to` says what, ending before the date.
  std::vector<DatedRule> expected;
  std::vector<Thing> things;
  std::vector<Faq> faq;
  std::string start;
  std::map<std::string, Node> nodes;

  const DatedRule* rule_for(const std::string& date_kind) const {
    for (const auto& r : deadlines)
      if (r.date == date_kind) return &r;
    return nullptr;
  }
  // The permit application itself (Thing::main), if the page has one.
  const Thing* main_thing() const {
    for (const auto& t : things)
      if (t.main) return &t;
    return nullptr;
  }
  const Thing* thing(const std::string& id) const {
    for (const auto& t : things)
      if (t.id == id) return &t;
    return nullptr;
  }
  const Node* node(const std::string& id) const {
    auto it = nodes.find(id);
    return it == nodes.end() ? nullptr : &it->second;
  }
};

struct Common {
  std::map<std::string, Text, std::less<>> texts;
  std::map<std::string, std::vector<std::string>, std::less<>> commands;  // normalised phrases
  std::vector<std::vector<std::string>> synonyms;
  std::map<std::string, std::string> texting;  // "u" -> "you", "docs" -> "documents"
  std::vector<std::string> english_words;      // never "corrected" by the speller
  std::vector<Attribute> attributes;
  std::vector<DateKind> dates;
  std::vector<Faq> faq;

  // A text the loader has checked exists.
  const Text& text(const std::string& key) const { return texts.at(key); }
};

struct ScriptSet {
  Common common;
  std::vector<University> universities;  // in file-name order: the numbered list
};

}  // namespace permit::dialogs
