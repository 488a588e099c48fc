#pragma once

// The development set: questions phrased as students write them, each with
// what a right answer must say and the wrong facts it must not. Scored by
// ctest (tests/unit/devset_test.cpp) and `permit-dialog eval`.
//
//   === nenu: immigration office hours        a case starts; its name
//   @kind followup                            its kind, for the per-kind score
//   @date 2026-12-05                          "today" (default 2026-12-05)
//   > NENU                                    earlier messages, not scored
//   ? what are its opening hours              the scored message (one, last)
//   + @silent                                 the reply must match (all of them)
//   - 8:00|11:00                              ...and must not: a wrong fact
//
// `+ @silent`: the reply says the page does not state it. `+ @ask`: the
// reply asks back and states no deadline. Patterns are ECMAScript,
// case-insensitive.

#include "dialogs/dialog.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

struct EvalCase {
  std::string name, kind, file;
  int line = 0;
  std::string date = "2026-12-05";
  std::vector<std::string> before;
  std::string question;
  std::vector<std::string> expect, forbid;
};

// One case's result. `wrong`: the reply holds a forbidden fact, or states
// a fact (Outcome::stated) where the case wanted another, a silence or a
// question back. `miss`: no wrong fact, but not the right answer either
// (a question back, "not found", a silence where the page has it).
struct EvalResult {
  enum class Verdict { right, miss, wrong };
  Verdict verdict = Verdict::miss;
  std::string reply;
  std::string why;  // the first expectation that failed
};

std::vector<EvalCase> parse_eval_cases(const std::string& file, std::string_view text, std::vector<std::string>& problems);

EvalResult run_eval_case(const EvalCase& c, const Dialog& dialog);

struct EvalScore {
  struct Counts {
    int right = 0, miss = 0, wrong = 0;
    int total() const { return right + miss + wrong; }
  };
  Counts all;
  std::map<std::string, Counts> by_kind;
  std::map<std::string, Counts> by_language;  // "en", "zh": of the scored message
  void add(const EvalCase& c, const EvalResult& r);
  std::string table() const;  // the score, per kind and language
};

// Runs every case of the *.txt files in `directory` (in file-name order)
// against `dialog`, scores it, and shows each case and its result to
// `each`. A case that cannot be read, or a directory without cases, is a
// line in `problems`.
using EachCase = std::function<void(const EvalCase&, const EvalResult&)>;
EvalScore evaluate_directory(const std::string& directory, const Dialog& dialog, const EachCase& each,
                             std::vector<std::string>& problems);

}  // namespace permit::dialogs
