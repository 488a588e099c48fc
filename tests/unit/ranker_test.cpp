#include "dialogs/ranker.hpp"
#include "dialogs/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(Text, MalformedUtf8DecodesAsReplacementWithoutOverrun) {
  std::string bad = "a\xE4\xB8";  // a truncated 3-byte sequence
  std::size_t i = 1;
  EXPECT_EQ(next_code_point(bad, i), 0xFFFDu);
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(normalise(bad).substr(0, 1), "a");
}

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
  Analyzer analyzer({{"fee", "cost", "多少钱"}, {"police station", "派出所"}});
  EXPECT_TRUE(has(analyzer.terms("How much does it cost"), "~0"));
  EXPECT_TRUE(has(analyzer.terms("costs"), "~0")) << "matched on the stem";
  EXPECT_TRUE(has(analyzer.terms("要多少钱"), "~0"));
  EXPECT_TRUE(has(analyzer.terms("which police station"), "~1"));
  EXPECT_TRUE(has(analyzer.terms("哪个派出所"), "~1"));
  EXPECT_FALSE(has(analyzer.terms("police officer"), "~1"));
}

class RankerTest : public ::testing::Test {
 protected:
  RankerTest() : analyzer_({{"fee", "cost", "price", "费用", "多少钱"}}), ranker_(analyzer_) {
    ranker_.add("The fee is 400 RMB, paid by card. How much is the fee? 费用是多少");
    ranker_.add("Submit documents at the exit-entry office on Huanglong Road. Where do I submit?");
    ranker_.add("Photo receipt from an authorized photo studio. Where do I take the photo?");
    ranker_.finish();
  }
  Analyzer analyzer_;
  Ranker ranker_;
};

TEST_F(RankerTest, BestDocumentFirstAcrossLanguagesAndSynonyms) {
  auto hits = ranker_.search("What does it cost?", 3);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].document, 0u);
  EXPECT_EQ(ranker_.search("居留许可要多少钱", 3).at(0).document, 0u);
  EXPECT_EQ(ranker_.search("where is the exit-entry office", 3).at(0).document, 1u);
  EXPECT_EQ(ranker_.search("photos", 3).at(0).document, 2u);
}

TEST_F(RankerTest, ConfidenceIsHighForAFullMatchAndLowForStrangeWords) {
  auto good = ranker_.search("how much is the fee", 1);
  ASSERT_EQ(good.size(), 1u);
  EXPECT_GT(good[0].confidence, 0.5);
  auto weak = ranker_.search("can my cat and dog come to the office with me", 1);
  ASSERT_EQ(weak.size(), 1u);
  EXPECT_LT(weak[0].confidence, 0.5);
  EXPECT_TRUE(ranker_.search("zebra", 3).empty());
  EXPECT_TRUE(ranker_.search("", 3).empty());
}

TEST_F(RankerTest, LimitAndOrderAreRespected) {
  auto hits = ranker_.search("where photo fee", 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_GE(hits[0].score, hits[1].score);
}

}  // namespace
}  // namespace permit::dialogs
