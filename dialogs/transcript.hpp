#pragma once

// Transcripts: conversations the scripts must hold. They live next to the
// scripts (dialogs/scripts/*.txt), are versioned and published with them,
// and a publish is refused when one fails.
//
//   === JSNU deadline in Chinese        a transcript starts; its name
//   @date 2026-11-21                     "today" for the engine (default 2026-11-21)
//   > 江苏师范大学                       the student says this
//   < 江苏师范大学|JSNU                  the reply must match this regex (ECMAScript)
//   ! 重庆                               ...and must not match this one
//   * set_deadline 2027-02-01            an effect of this kind, holding this text
//   # a comment

#include "dialogs/dialog.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

struct TranscriptProblem {
  std::string file;
  int line = 0;
  std::string message;

  std::string to_string() const;  // "cqupt.txt:12: expected /fee/ in: ..."
};

struct Transcript {
  struct Expectation {
    char kind;  // '<' match, '!' no match, '*' effect
    std::string text;
    int line;
  };
  struct Exchange {
    std::string says;
    std::vector<Expectation> expect;
  };
  std::string name;
  std::string file;
  int line = 0;
  std::string date = "2026-11-21";
  std::vector<Exchange> exchanges;
};

// Reads one transcript file; lines it cannot read become problems.
std::vector<Transcript> parse_transcripts(const std::string& file, std::string_view text,
                                          std::vector<TranscriptProblem>& problems);

// Plays one transcript against a dialog from a new student's state; the
// failed expectations, none when it passes.
std::vector<TranscriptProblem> run_transcript(const Transcript& transcript, const Dialog& dialog);

// Every *.txt among the files, parsed and played: all problems found.
std::vector<TranscriptProblem> run_transcripts(const std::map<std::string, std::string>& files, const Dialog& dialog,
                                               std::size_t* played = nullptr);

}  // namespace permit::dialogs
