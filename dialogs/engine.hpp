#pragma once

#include "dialogs/dialog.hpp"
#include "dialogs/ranker.hpp"
#include "dialogs/script.hpp"
#include "dialogs/student_state.hpp"

#include <map>
#include <memory>

namespace permit::dialogs {

// The dialog engine: (scripts, student state, message, now) -> (new state,
// replies, effects). Pure: no I/O, no clock of its own, no randomness.
// Every fact it states comes from the scripts.
class Engine final : public Dialog {
 public:
  // `release`: the published script release these scripts are; a student
  // mid-walkthrough is stamped with it (see VersionedDialog).
  explicit Engine(ScriptSet scripts, std::int64_t release = 0);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  Outcome respond(std::string_view state, const Inbound& message,
                  std::chrono::system_clock::time_point now) const override;
  // The same from a state already parsed.
  Outcome respond(StudentState state, const Inbound& message, std::chrono::system_clock::time_point now) const;

  // How sure the ranker must be before it answers instead of offering
  // topics: the share of the question's weight that the best entry matched.
  static constexpr double kConfidence = 0.4;

  struct Match {
    const Faq* faq;
    double confidence;
  };
  // The best FAQ entries for a question at a university, best first.
  std::vector<Match> rank(const std::string& university, std::string_view question, std::size_t limit) const;

  // Whether the text holds anything to rank (not only greetings, filler
  // words or punctuation).
  bool meaningful(std::string_view text) const { return !analyzer_.terms(text).empty(); }

  const ScriptSet& scripts() const { return scripts_; }
  const University* university(const std::string& id) const;
  std::int64_t release() const { return release_; }

 private:
  struct Index {
    std::unique_ptr<Ranker> ranker;
    std::vector<const Faq*> entries;
  };
  ScriptSet scripts_;
  std::int64_t release_;
  Analyzer analyzer_;
  std::map<std::string, Index> indexes_;
};

}  // namespace permit::dialogs
