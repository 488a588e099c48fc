// The question sets of tests/devset, scored against the shipped scripts:
// questions phrased the way students write (texting, typos, follow-ups,
// situations, dates with a meaning, two questions in one), each with the
// facts a right answer holds and the wrong facts it must not. The score of
// each set is printed; the development set must stay at 90 % right, and no
// set may gain a wrong fact. `permit-dialog eval --cases DIR` lists every
// miss with its reply.

#include "dialogs/evaluation.hpp"
#include "tests/support/shipped_engine.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <tuple>

namespace permit::dialogs {
namespace {

struct Scored {
  EvalScore score;
  std::vector<std::string> wrong;  // "file:line name: why"
};

Scored score(const std::string& set) {
  Scored out;
  std::vector<std::string> problems;
  out.score = evaluate_directory(std::string(PERMIT_SOURCE_DIR) + "/tests/devset/" + set,
                                 permit::testing::shipped_engine(), [&](const EvalCase& c, const EvalResult& r) {
                                   if (r.verdict == EvalResult::Verdict::wrong)
                                     out.wrong.push_back(c.file + ":" + std::to_string(c.line) + " " + c.name + ": " +
                                                         r.why);
                                 }, problems);
  for (const auto& p : problems) ADD_FAILURE() << p;
  std::cout << "\n" << set << " set:\n" << out.score.table() << std::flush;
  return out;
}

double right_share(const EvalScore& s) { return s.all.total() ? double(s.all.right) / s.all.total() : 0.0; }

TEST(QuestionSets, TheDevelopmentSetIsAnsweredNineTimesInTenWithNoNewWrongFact) {
  const Scored dev = score("dev");
  ASSERT_GE(dev.score.all.total(), 150);
  EXPECT_GE(right_share(dev.score), 0.90);
  // Three confident wrong answers remain (look-alikes the ranker cannot
  // tell apart: "how do I use the system" against what the system is, a
  // hospital's name against its address entry, tuition fees against
  // unpaid fees); any other is a regression.
  EXPECT_LE(dev.score.all.wrong, 3);
  for (const auto& w : dev.wrong) std::cout << "wrong: " << w << "\n";
}

TEST(QuestionSets, TheHeldOutSetsStayAsMeasured) {
  // Written apart from the development set, by other hands; first scored
  // after the engine was built (tests/devset/README.md has the history).
  // One wrong answer remains in holdout2 (a CPU question whose words match
  // the login entry better than the one that answers it), and one in
  // holdout3 whose case forbids a right fact (the NENU exam's registration
  // counters, named before the paying ones), and one in holdout4 whose case
  // forbids repeating the expiry date the student gave; holdout5 keeps four
  // (an address list where only one address was asked, the fee article
  // where unpaid fees were asked, a documents checklist where a counter
  // was, the finding of the registration where its login was); holdout6
  // two (the tuition payment type where the payment platform was asked, and
  // the fee entry where the progress phone number was); holdout7 two (who
  // needs the examination where its address was asked, the fee article
  // where unpaid accommodation fees were).
  for (const auto& [set, wrong_at_most, right_at_least] :
       {std::tuple{"holdout", 0, 0.90}, std::tuple{"holdout2", 1, 0.90}, std::tuple{"holdout3", 1, 0.90},
        std::tuple{"holdout4", 1, 0.88}, std::tuple{"holdout5", 4, 0.88}, std::tuple{"holdout6", 2, 0.90},
        std::tuple{"holdout7", 2, 0.90}}) {
    const Scored held = score(set);
    EXPECT_GE(held.score.all.total(), 80) << set;
    EXPECT_GE(right_share(held.score), right_at_least) << set;
    EXPECT_LE(held.score.all.wrong, wrong_at_most) << set;
    for (const auto& w : held.wrong) std::cout << set << " wrong: " << w << "\n";
  }
}

}  // namespace
}  // namespace permit::dialogs
