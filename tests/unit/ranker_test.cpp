#include "dialogs/analyzer.hpp"
#include "dialogs/phrases.hpp"
#include "dialogs/ranker.hpp"
#include "dialogs/speller.hpp"
#include "dialogs/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <utility>

namespace permit::dialogs {
namespace {

bool has(const std::vector<std::string>& terms, const std::string& t) {
  return std::find(terms.begin(), terms.end(), t) != terms.end();
}

TEST(Text, NormaliseFoldsCaseWidthSpaceAndTrailingPunctuation) {
  EXPECT_EQ(normalise("  Next!  "), "next");
  EXPECT_EQ(normalise("ＤＯＮＥ　２"), "done 2");
  EXPECT_EQ(normalise("下一步。"), "下一步");
  EXPECT_EQ(normalise("How   much?\n"), "how much");
  EXPECT_EQ(normalise("？！"), "");
}

TEST(Text, CjkDetectionAndPhrases) {
  EXPECT_TRUE(has_cjk("hello 你好"));
  EXPECT_FALSE(has_cjk("hello ２０２７"));
  EXPECT_TRUE(contains_phrase("i study at hust now", "hust"));
  EXPECT_FALSE(contains_phrase("hustle", "hust"));
  EXPECT_TRUE(contains_phrase("我在华中科技大学读书", "华中科技大学"));
  EXPECT_EQ(parse_small_number("12"), 12);
  EXPECT_EQ(parse_small_number("1a"), -1);
  EXPECT_EQ(parse_small_number(""), -1);
}

TEST(Text, AStepIsNamedByThePagesNumbering) {
  EXPECT_EQ(step_named("just tell me what step 3 is"), 3);
  EXPECT_EQ(step_named("step3?"), 3);
  EXPECT_EQ(step_named("step #12 please"), 12);
  EXPECT_EQ(step_named("第三步是什么"), 3);
  EXPECT_EQ(step_named("第 2 步在哪"), 2);
  EXPECT_EQ(step_named("what are the steps"), 0);
  EXPECT_EQ(step_named("footstep 3"), 0);
  EXPECT_EQ(step_named("step 3a"), 0);
  EXPECT_EQ(step_named("step 123"), 0);  // at most two digits
  EXPECT_EQ(step_named("第三条"), 0);
  EXPECT_EQ(step_named("what's the first step"), 1);
  EXPECT_EQ(step_named("the third step?"), 3);
  EXPECT_EQ(step_named("where do i even start, step one?"), 1);
  EXPECT_EQ(step_named("what is step four"), 4);
  EXPECT_EQ(step_named("a one step process"), 0);
  EXPECT_EQ(step_named("第"), 0);
}

TEST(Text, MalformedUtf8DecodesAsReplacementWithoutOverrun) {
  std::string bad = "a\xE4\xB8";  // a truncated 3-byte sequence
  std::size_t i = 1;
  EXPECT_EQ(next_code_point(bad, i), 0xFFFDu);
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(normalise(bad).substr(0, 1), "a");
}

TEST(Text, MaskNumbersHidesDocumentNumbersAndKeepsShortOnes) {
  const std::pair<const char*, const char*> cases[] = {
      {"my passport is E12345678", "my passport is [number]"},
      {"G 1234 5678 please", "[number] please"},
      {"Ｅ１２３４５６７８", "[number]"},
      {"1234 - 5678 / 9", "[number]"},
      {"room 302 at 9.30", "room 302 at 9.30"},
      {"in 2 - 3 weeks", "in 2 - 3 weeks"},
      {"a - b · c", "a - b · c"},
      {"3・4月", "3・4月"},  // a separator between short numbers stays
      {"— 12345", "— [number]"},  // and one that begins nothing
  };
  for (const auto& [text, masked] : cases) EXPECT_EQ(mask_numbers(text), masked) << text;
}

// Whatever separates the groups, from a phone's keyboard or a copied text:
// the number still goes.
TEST(Text, MaskNumbersSeesThroughNonAsciiSeparators) {
  for (const char* number : {
           "E1234·5678",  // middle dot
           "1234—5678",  // em dash
           "1234–5678",  // en dash
           "1234\u30005678",  // full-width space
           "1234\u00A05678",  // no-break space
           "1234\u202F5678",  // narrow no-break space
           "1234\u20095678",  // thin space
           "1234\u200B5678",  // zero-width space
           "１２３４・５６７８",  // full-width, katakana middle dot
           "E 1234 · 5678",  // spaced out
           "E·1234·5678",  // a letter before a separator
           "1234\u22125678",  // minus sign
           "12\u2010\u201134\u20125678",  // hyphens and a figure dash
       }) {
    EXPECT_EQ(mask_numbers(std::string("passport ") + number + " ok"), "passport [number] ok") << number;
  }
}

using Groups = std::vector<std::vector<std::string>>;
using Texting = std::map<std::string, std::string>;

TEST(Analyzer, StemsEnglishDropsFunctionWordsAndMakesCjkBigrams) {
  Analyzer analyzer({});
  auto terms = analyzer.terms("What are the Fees for extending?");
  EXPECT_TRUE(has(terms, "fee"));
  EXPECT_TRUE(has(terms, "extend"));
  EXPECT_FALSE(has(terms, "the"));
  auto zh = analyzer.terms("居留许可吗");
  EXPECT_TRUE(has(zh, "居留"));
  EXPECT_TRUE(has(zh, "留许"));
  EXPECT_TRUE(has(zh, "许可"));
  EXPECT_FALSE(has(zh, "可吗")) << "sentence particles are dropped";
  EXPECT_EQ(analyzer.terms("钱"), std::vector<std::string>{"钱"});
}

TEST(Analyzer, SynonymGroupsAddOneSharedTermInEitherLanguage) {
  const Groups groups = {{"fee", "cost", "多少钱"}, {"police station", "派出所"}};
  Analyzer analyzer({&groups, nullptr});
  EXPECT_TRUE(has(analyzer.terms("How much does it cost"), "~0"));
  EXPECT_TRUE(has(analyzer.terms("costs"), "~0")) << "matched on the stem";
  EXPECT_TRUE(has(analyzer.terms("要多少钱"), "~0"));
  EXPECT_TRUE(has(analyzer.terms("which police station"), "~1"));
  EXPECT_TRUE(has(analyzer.terms("哪个派出所"), "~1"));
  EXPECT_FALSE(has(analyzer.terms("police officer"), "~1"));
}

TEST(Analyzer, WritesOutTextingFormsAndCorrectsSpellingTowardsTheScriptsWords) {
  const Texting texting = {{"u", "you"}, {"docs", "documents"}, {"b4", "before"}, {"im", "i am"}};
  Analyzer analyzer({nullptr, &texting});
  for (const char* words : {"passport residence permit extension address physical examination documents"})
    analyzer.learn(words);
  auto a = analyzer.analyse("wat docs do u need b4 the pasport extention, im at the adress");
  EXPECT_EQ(a.text, "wat documents do you need before the passport extension, i am at the address");
  EXPECT_TRUE(a.corrected);
  EXPECT_TRUE(has(a.terms, "passport"));
  EXPECT_TRUE(has(a.terms, "extens"));
  ASSERT_GE(a.words.size(), 3u);
  EXPECT_EQ(a.text.substr(a.words[1].begin, a.words[1].end - a.words[1].begin), "documents");
  // Words the scripts do not use are left alone, and short ones always.
  EXPECT_EQ(analyzer.analyse("is there wifi in the canteen").text, "is there wifi in the canteen");
  EXPECT_FALSE(analyzer.analyse("is there wifi in the canteen").corrected);
  EXPECT_EQ(analyzer.analyse("Physcial Examination").text, "physical examination");
}

TEST(Analyzer, ReadsATextingFormOfTwoWordsJoinedBySlashWhole) {
  const Texting texting = {{"w", "with"}, {"w/o", "without"}};
  Analyzer analyzer({nullptr, &texting});
  EXPECT_EQ(analyzer.analyse("work w/o permission").text, "work without permission");
  EXPECT_EQ(analyzer.analyse("w my passport").text, "with my passport");
  // (A slash between words that form nothing stays: "w/e" is not known.)
  EXPECT_EQ(analyzer.analyse("w/e").text, "with/e");
}

TEST(Speller, SuggestsOnlyAnUnambiguousNearWordOfTheVocabulary) {
  Speller speller;
  for (const char* w : {"passport", "residence", "permit", "address", "documents", "examination", "extension", "place",
                        "police", "office"})
    speller.add(w);
  EXPECT_EQ(speller.correct("pasport"), "passport");
  EXPECT_EQ(speller.correct("passprot"), "passport");  // two letters swapped
  EXPECT_EQ(speller.correct("recidence"), "residence");
  EXPECT_EQ(speller.correct("documnets"), "documents");
  EXPECT_EQ(speller.correct("permt"), "permit");
  EXPECT_EQ(speller.correct("examinaiton"), "examination");
  EXPECT_EQ(speller.correct("passport"), "") << "known";
  EXPECT_EQ(speller.correct("polce"), "police");
  EXPECT_EQ(speller.correct("offce"), "office");
  EXPECT_EQ(speller.correct("plce"), "") << "4 letters: too short to guess";
  for (const char* w : {"take", "form", "from", "spot", "post"}) speller.add(w);
  EXPECT_EQ(speller.correct("tkae"), "take") << "4 letters: two neighbours swapped";
  EXPECT_EQ(speller.correct("fomr"), "form");
  EXPECT_EQ(speller.correct("psot"), "") << "'spot' or 'post'";
  EXPECT_EQ(speller.correct("tame"), "") << "one letter changed, at 4 letters";
  EXPECT_EQ(speller.correct("password"), "") << "two edits from passport, at 8 letters";
  EXPECT_EQ(speller.correct("banana"), "");
}

// Texting drops vowels: of two guesses one edit away, the one whose vowel
// was left out goes first, however frequent the other is.
TEST(Speller, AGuessWithAVowelLeftOutGoesBeforeAsCloseAndMoreFrequentOnes) {
  Speller speller;
  for (int i = 0; i < 5; ++i) speller.add("country");
  speller.add("counter");
  EXPECT_EQ(speller.correct("countr"), "counter");
  speller.add("finished");
  speller.add("finishes");
  EXPECT_EQ(speller.correct("finishd"), "finished");
  // Neither with a vowel left out: the more frequent one, as before.
  for (int i = 0; i < 3; ++i) speller.add("polices");
  speller.add("policed");
  EXPECT_EQ(speller.correct("policex"), "polices");
}

TEST(Speller, EditDistanceCountsSwapsAsOneAndStopsAtItsLimit) {
  EXPECT_EQ(edit_distance("abcd", "abdc", 2), 1);
  EXPECT_EQ(edit_distance("kitten", "sitting", 3), 3);
  EXPECT_EQ(edit_distance("kitten", "sitting", 1), 2);
  EXPECT_EQ(edit_distance("", "abc", 5), 3);
}

TEST(PhraseIndex, FindsStemmedWordsAndChineseSubstringsWithWhereTheyAre) {
  Analyzer analyzer({});
  PhraseIndex index;
  index.add(0, "opening hours");
  index.add(1, "immigration office");
  index.add(2, "办公时间");
  index.add(3, "office");
  auto a = analyzer.analyse("What are the Immigration Offices opening hours?");
  auto hits = index.find(a);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].id, 1u);  // the longest first where two start together
  EXPECT_EQ(a.text.substr(hits[0].begin, hits[0].end - hits[0].begin), "immigration offices");
  EXPECT_EQ(hits[1].id, 3u);
  EXPECT_EQ(hits[2].id, 0u);
  auto zh = index.find(analyzer.analyse("出入境的办公时间是几点"));
  ASSERT_EQ(zh.size(), 1u);
  EXPECT_EQ(zh[0].id, 2u);
  EXPECT_EQ(index.find(analyzer.analyse("open hour")).size(), 1u) << "the same stems";
  EXPECT_TRUE(index.find(analyzer.analyse("hours opening")).empty()) << "words in their order";
  EXPECT_TRUE(index.find(analyzer.analyse("opening late hours")).empty()) << "next to each other";
}

class RankerTest : public ::testing::Test {
 protected:
  RankerTest() {
    for (const char* doc : {"The fee is 400 RMB, paid by card. How much is the fee? 费用是多少",
                            "Submit documents at the exit-entry office on Huanglong Road. Where do I submit?",
                            "Photo receipt from an authorized photo studio. Where do I take the photo?"})
      ranker_.add(analyzer_.terms(doc));
    ranker_.finish();
  }
  std::vector<Ranker::Hit> search(const char* question, std::size_t limit) const {
    return ranker_.search(analyzer_.analyse(question).terms, limit);
  }
  const Groups groups_ = {{"fee", "cost", "price", "费用", "多少钱"}};
  Analyzer analyzer_{{&groups_, nullptr}};
  Ranker ranker_;
};

TEST_F(RankerTest, BestDocumentFirstAcrossLanguagesAndSynonyms) {
  auto hits = search("What does it cost?", 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].document, 0u);
  EXPECT_EQ(search("居留许可要多少钱", 3).at(0).document, 0u);
  EXPECT_EQ(search("where is the exit-entry office", 3).at(0).document, 1u);
  EXPECT_EQ(search("photos", 3).at(0).document, 2u);
}

TEST_F(RankerTest, ConfidenceIsHighForAFullMatchAndLowForStrangeWords) {
  auto good = search("how much is the fee", 1);
  ASSERT_EQ(good.size(), 1u);
  EXPECT_GT(good[0].confidence, 0.5);
  auto weak = search("can my cat and dog come to the office with me", 1);
  ASSERT_EQ(weak.size(), 1u);
  EXPECT_LT(weak[0].confidence, 0.5);
  EXPECT_TRUE(search("zebra", 3).empty());
  EXPECT_TRUE(search("", 3).empty());
}

TEST_F(RankerTest, LimitAndOrderAreRespected) {
  auto hits = search("where photo fee", 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_GE(hits[0].score, hits[1].score);
}

}  // namespace
}  // namespace permit::dialogs
