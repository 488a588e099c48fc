// What a contrast denies is taken out of a question before it is read:
// "我丢的不是护照，是居留许可" asks about the permit.

#include "dialogs/questions.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::dialogs {
namespace {

// Runs of spaces as one: the blanked words keep their bytes' places.
std::string squeezed(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != ' ' || out.empty() || out.back() != ' ') out += c;
  return out;
}

TEST(DeniedWords, ADeniedThingBeforeWhatItIsInsteadIsBlanked) {
  EXPECT_EQ(squeezed(without_denied("我丢的不是护照，是居留许可")), "我丢的 ，是居留许可");
  EXPECT_EQ(squeezed(without_denied("i lost not my passport but my residence permit")), "i lost but my residence permit");
  EXPECT_EQ(squeezed(without_denied("it is not the passport, it's the permit")), "it is , it's the permit");
  EXPECT_EQ(squeezed(without_denied("丢的不是护照而是居留许可")), "丢的 而是居留许可");
  // (What it is came before, and the denial closes the sentence.)
  EXPECT_EQ(squeezed(without_denied("I lost my permit, not my passport")), "I lost my permit, ");
  EXPECT_EQ(squeezed(without_denied("丢的是居留许可，不是护照。怎么办")), "丢的是居留许可， 。怎么办");
  // (The same length: what the reading finds keeps its place.)
  EXPECT_EQ(without_denied("我丢的不是护照，是居留许可").size(), std::string("我丢的不是护照，是居留许可").size());
}

TEST(DeniedWords, ADenialWithoutWhatItIsInsteadStays) {
  // (Nothing says what it is instead: the denial is the question.)
  EXPECT_EQ(without_denied("护照还在，没丢"), "护照还在，没丢");
  EXPECT_EQ(without_denied("i am not at nenu"), "i am not at nenu");
  EXPECT_EQ(without_denied("is it not enough, or do i need more"), "is it not enough, or do i need more");
  // (Words that hold "not": "nothing", "cannot".)
  EXPECT_EQ(without_denied("i cannot find it, it is gone"), "i cannot find it, it is gone");
  // (A whole clause denied is not a thing's name: "not mine, my friend's".)
  EXPECT_EQ(without_denied("不是我的护照丢了，是我朋友的"), "不是我的护照丢了，是我朋友的");
  EXPECT_EQ(without_denied("不是因为我自己忘记了去办理延期手续的原因导致的，是学校没通知"),
            "不是因为我自己忘记了去办理延期手续的原因导致的，是学校没通知");
}

}  // namespace
}  // namespace permit::dialogs
