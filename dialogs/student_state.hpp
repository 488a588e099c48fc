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
// text of a message; only choices, progress, the dates the student gave
// and, briefly, what the conversation is about.
// Marks Context::before as answered at another university without a change.
inline constexpr char kElsewhere = '=';

struct StudentState {
  std::string university;         // a script id, or empty until picked
  std::optional<Lang> pinned;     // set by "English" / "中文"
  Lang last = Lang::en;           // the language of the last reply
  std::string node;               // walkthrough position; empty: not started
  std::vector<std::string> path;  // nodes passed on the way here, for "back"
  std::map<std::string, std::string> answers;       // walkthrough answers
  std::map<std::string, std::vector<int>> ticked;   // node -> checklist indexes
  std::map<std::string, std::string> dates;  // date kind -> ISO date ("expiry" -> "2027-03-01")
  bool confirming_delete = false;
  std::vector<std::string> choices;  // what "1", "2"... mean right now
  std::string deferred_question;  // asked before a university was picked
  bool subscribed = true;
  std::int64_t messages = 0;
  // The script release the walkthrough in progress was started on; 0 when
  // no walkthrough is in progress (the student follows the current one).
  std::int64_t release = 0;

  // What the last messages were about, so that a follow-up ("what are its
  // opening hours?") resolves. It expires (Context::kLifetime) and a
  // change of university clears it.
  struct Context {
    std::string thing;         // the thing last answered about
    std::string thing_before;  // the one talked about before it ("that office" two questions on)
    std::string faq;           // the FAQ entry last answered
    std::string attribute;     // the attribute of `thing` last answered, if a fact was
    std::string asked;         // the attribute last asked about a place ("and at the other one?")
    // After a change of university, what was last answered at the one
    // before ("nenu:faq:nenu_fee", "nenu:fact:hours"): "and here?" asks it
    // again at this one. After an answer from another university's page
    // without a change, the same marked kElsewhere ("=cqupt:faq:..."):
    // "...there?" next is asked at that one again.
    std::string before;
    std::string awaiting;      // the date kind the bot just asked for
    std::string pending_date;  // an ISO date given before the university, its meaning not yet known
    std::string length;        // the permit length last told ("2 years"), as PermitLength::key
    std::string here;          // the place the student said they are at now ("i'm at the immigration office")
    std::string others;        // someone else's date just told, its kind and day ("expiry 2027-01-10")
    std::string others_at;     // the university someone else was just said to be at ("my cousin is at NENU")
    std::string overstay;      // days the student said they overstayed ("逾期居留了4天": "4"), for the fine asked next
    bool unresolved = false;   // the last question was not understood: "it" next refers to that
    // A statement the bot could not place ("我学费还没交": its topics were
    // offered), numbers masked, at most kMaxStatement bytes: the question
    // right after it is read with it. The one text of a message kept here.
    std::string statement;
    static constexpr std::size_t kMaxStatement = 300;
    std::int64_t at = 0;       // minutes since the epoch, when it was set
    static constexpr std::int64_t kLifetime = 30;  // minutes
  };
  Context context;

  const std::string& expiry() const {
    static const std::string none;
    auto it = dates.find("expiry");
    return it == dates.end() ? none : it->second;
  }

  // The most a stored state may hold. The reader refuses more, and the
  // bot never writes more (it keeps the old state instead).
  static constexpr std::size_t kMaxBytes = 64 * 1024;

  // The state as stored: empty is a new student; nullopt when it cannot be
  // read (too large, not JSON, not an object). An unreadable state is
  // never taken for a new student: the bot keeps it as it is.
  static std::optional<StudentState> read(std::string_view json);
  // For views over many students (lists, audiences): an unreadable state
  // reads as a new one there, which shows nothing and sends nothing.
  static StudentState parse(std::string_view json) { return read(json).value_or(StudentState{}); }
  std::string serialise() const;
};

}  // namespace permit::dialogs
