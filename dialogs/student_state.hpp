#pragma once

#include "dialogs/script.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// What the bot remembers about one student, stored as JSON in Redis under
// the student's conversation key. It never holds a passport number or the
// text of a message; only choices, progress and the permit's expiry date.
struct StudentState {
  std::string university;         // a script id, or empty until picked
  std::optional<Lang> pinned;     // set by "English" / "中文"
  Lang last = Lang::en;           // the language of the last reply
  std::string node;               // walkthrough position; empty: not started
  std::vector<std::string> path;  // nodes passed on the way here, for "back"
  std::map<std::string, std::string> answers;       // walkthrough answers
  std::map<std::string, std::vector<int>> ticked;   // node -> checklist indexes
  std::string expiry;             // ISO date of the permit's expiry
  bool confirming_delete = false;
  std::vector<std::string> choices;  // what "1", "2"... mean right now
  std::string deferred_question;  // asked before a university was picked
  bool subscribed = true;
  std::int64_t messages = 0;
  // The script release the walkthrough in progress was started on; 0 when
  // no walkthrough is in progress (the student follows the current one).
  std::int64_t release = 0;

  // An empty or unreadable state reads as a new student.
  static StudentState parse(std::string_view json);
  std::string serialise() const;
};

}  // namespace permit::dialogs
