#include "dialogs/permit_length.hpp"
#include "dialogs/text.hpp"

#include <gtest/gtest.h>

namespace permit::dialogs {
namespace {

// The length as months and as the reply says it, or "none".
std::string read(const std::string& message) {
  auto l = find_permit_length(normalise(message));
  if (!l) return "none";
  return std::to_string(static_cast<int>(l->months() * 2)) + "/2 " + l->said().en + " | " + l->said().zh;
}

TEST(PermitLength, ExactLengthsInBothLanguages) {
  EXPECT_EQ(read("how much is a 2-year permit"), "48/2 2 years | 2年");
  EXPECT_EQ(read("my program lasts 3 more years, what does it cost"), "72/2 3 years | 3年");
  EXPECT_EQ(read("fee for four years?"), "96/2 4 years | 4年");
  EXPECT_EQ(read("fee for a year"), "24/2 1 year | 1年");
  EXPECT_EQ(read("it's only a six month extension"), "12/2 6 months | 6个月");
  EXPECT_EQ(read("18 months permit fee"), "36/2 18 months | 18个月");
  EXPECT_EQ(read("两年的居留许可多少钱"), "48/2 2 years | 2年");
  EXPECT_EQ(read("办6个月的要多少钱"), "12/2 6 months | 6个月");
  EXPECT_EQ(read("半年的多少钱"), "12/2 6 months | 6个月");
  EXPECT_EQ(read("一年半的呢"), "36/2 18 months | 18个月");
  EXPECT_EQ(read("a year and a half"), "36/2 18 months | 18个月");
}

// Kept in the conversation as a key, read back as the same length.
TEST(PermitLength, KeyReadsBackAsTheSameLength) {
  for (const char* message : {"a 2-year permit", "under 1 year", "3 to 5 years", "一年以上", "一年半的呢", "six months"}) {
    const auto l = find_permit_length(normalise(message));
    ASSERT_TRUE(l) << message;
    const auto back = PermitLength::from_key(l->key());
    ASSERT_TRUE(back) << l->key();
    EXPECT_EQ(back->said().en, l->said().en) << message;
    EXPECT_EQ(back->months(), l->months()) << message;
  }
  for (const char* bad : {"", "e", "x:0:24", "e:0", "e:a:24", "e:0:24x", "e:-1:24", "e:0:99999", "e:0:nan"})
    EXPECT_FALSE(PermitLength::from_key(bad)) << bad;
}

TEST(PermitLength, ChineseTensHalvesAndLongNumbers) {
  EXPECT_EQ(read("办十八个月的居留许可要多少钱"), "36/2 18 months | 18个月");
  EXPECT_EQ(read("十二个月的费用是多少"), "24/2 1 year | 1年");
  EXPECT_EQ(read("二十四个月的呢"), "48/2 2 years | 2年");
  EXPECT_EQ(read("fee for four and a half years"), "108/2 54 months | 54个月");
  EXPECT_EQ(read("5 and a half years"), "132/2 66 months | 66个月");
  // A number no permit has, however long, is no length (and no crash).
  EXPECT_EQ(read("fee for " + std::string(320, '9') + " years"), "none");
  // How long the student has been here is not how long the permit is.
  EXPECT_EQ(read("I have studied here for 3 years, how much is the fee?"), "none");
  EXPECT_EQ(read("我在这里读了两年，居留许可多少钱"), "none");
}

TEST(PermitLength, BelowAndRanges) {
  EXPECT_EQ(read("how much for a permit under 1 year"), "23/2 less than 1 year | 1年以内");
  EXPECT_EQ(read("less than a year"), "23/2 less than 1 year | 1年以内");
  EXPECT_EQ(read("不到一年的多少钱"), "23/2 less than 1 year | 1年以内");
  EXPECT_EQ(read("一年以内的费用"), "23/2 less than 1 year | 1年以内");
  EXPECT_EQ(read("fee for 3 to 5 years"), "96/2 3-5 years | 3-5年");
  EXPECT_EQ(read("3-5年的多少钱"), "96/2 3-5 years | 3-5年");
}

TEST(PermitLength, MoreThan) {
  EXPECT_EQ(read("how much for more than a year"), "25/2 more than 1 year | 1年以上");
  EXPECT_EQ(read("a permit over 2 years"), "49/2 more than 2 years | 2年以上");
  EXPECT_EQ(read("如果我申请的是一年以上的居留许可，费用是多少"), "25/2 more than 1 year | 1年以上");
  EXPECT_EQ(read("超过一年的多少钱"), "25/2 more than 1 year | 1年以上");
  EXPECT_EQ(read("not more than a year"), "23/2 less than 1 year | 1年以内");
  EXPECT_EQ(read("一年多少钱"), "24/2 1 year | 1年") << "多少 is 'how much', not 'more'";
}

TEST(PermitLength, DatesAgesAndVagueYearsAreNotLengths) {
  EXPECT_EQ(read("2027年3月3日到期"), "none");
  EXPECT_EQ(read("I arrived last year"), "none");
  EXPECT_EQ(read("I am 20 years old"), "none");
  EXPECT_EQ(read("I came 2 years ago"), "none");
  EXPECT_EQ(read("how much is the fee per year"), "none");
  EXPECT_EQ(read("第二年还要体检吗"), "none");
  EXPECT_EQ(read("what does a 30 year permit cost"), "none");  // no permit is that long
  EXPECT_EQ(read("how much is the permit"), "none");
}

TEST(PermitLength, AHugeMessageIsReadOnlyAsFarAsAQuestionGoes) {
  // 200,000 dashes between a number and "years": no stack overflow, and no
  // length found so far into the message.
  const std::string huge = "fee for 2" + std::string(200000, '-') + "years";
  EXPECT_FALSE(find_permit_length(huge).has_value());
  EXPECT_TRUE(find_permit_length("fee for 2 years" + std::string(200000, '-')).has_value());
}

TEST(PermitLength, TheRowOrBothRowsOnABound) {
  ByLength by;
  by.rows = {{12, {"400 RMB for less than 1 year", ""}},
             {36, {"800 RMB for less than 3 years", ""}},
             {60, {"1000 RMB for 3-5 years", ""}}};
  auto rows = [&](std::string_view message) {
    std::string out;
    for (const auto* r : rows_for(by, *find_permit_length(normalise(message)))) out += r->text.en + ";";
    return out;
  };
  EXPECT_EQ(rows("2 years"), "800 RMB for less than 3 years;");
  EXPECT_EQ(rows("under 1 year"), "400 RMB for less than 1 year;");
  EXPECT_EQ(rows("6 months"), "400 RMB for less than 1 year;");
  EXPECT_EQ(rows("3 to 5 years"), "1000 RMB for 3-5 years;");
  EXPECT_EQ(rows("4 years"), "1000 RMB for 3-5 years;");
  // "Less than 1 year" or not? The page does not say which row 1 year is in.
  EXPECT_EQ(rows("1 year"), "400 RMB for less than 1 year;800 RMB for less than 3 years;");
  EXPECT_EQ(rows("6 years"), "");
  EXPECT_EQ(rows("more than a year"), "800 RMB for less than 3 years;1000 RMB for 3-5 years;");
  EXPECT_EQ(rows("more than 5 years"), "") << "longer than every row: the page does not say";
}

}  // namespace
}  // namespace permit::dialogs
