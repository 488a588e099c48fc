// The questions the bot could not answer, as the admins see them: the same
// question from the same university in the same language counted once,
// most asked first.

#include "bot/staff/unanswered_questions.hpp"

#include <gtest/gtest.h>

namespace permit::core {
namespace {

using Entries = std::vector<std::pair<std::string, redis::StreamFields>>;

std::pair<std::string, redis::StreamFields> asked(const std::string& id, const std::string& university,
                                                  const std::string& lang, const std::string& text) {
  return {id, {{"university", university}, {"lang", lang}, {"text", text}, {"openid", "stu_" + id}}};
}

TEST(UnansweredQuestions, TheSameQuestionIsCountedOnceMostAskedFirst) {
  const Entries entries{asked("1", "hust", "en", "can I pay by card"), asked("2", "cqupt", "zh", "在哪里拍照"),
                        asked("3", "hust", "en", "can I pay by card"), asked("4", "hust", "zh", "can I pay by card"),
                        asked("5", "hust", "en", "can I pay by card"), asked("6", "cqupt", "zh", "在哪里拍照")};
  const auto questions = group_unanswered(entries);
  ASSERT_EQ(questions.size(), 3u);
  EXPECT_EQ(questions[0].university, "hust");
  EXPECT_EQ(questions[0].lang, "en");
  EXPECT_EQ(questions[0].text, "can I pay by card");
  EXPECT_EQ(questions[0].count, 3);
  EXPECT_EQ(questions[1].university, "cqupt");
  EXPECT_EQ(questions[1].count, 2);
  EXPECT_EQ(questions[2].university, "hust");
  EXPECT_EQ(questions[2].lang, "zh") << "another language is another question";
  EXPECT_EQ(questions[2].count, 1);
}

TEST(UnansweredQuestions, EqualCountsAreInOrderOfUniversityLanguageAndText) {
  const Entries entries{asked("1", "hust", "en", "b"), asked("2", "cqupt", "en", "z"), asked("3", "hust", "en", "a"),
                        asked("4", "cqupt", "zh", "a")};
  const auto questions = group_unanswered(entries);
  ASSERT_EQ(questions.size(), 4u);
  EXPECT_EQ(questions[0].university + "/" + questions[0].lang + "/" + questions[0].text, "cqupt/en/z");
  EXPECT_EQ(questions[1].university + "/" + questions[1].lang + "/" + questions[1].text, "cqupt/zh/a");
  EXPECT_EQ(questions[2].university + "/" + questions[2].lang + "/" + questions[2].text, "hust/en/a");
  EXPECT_EQ(questions[3].university + "/" + questions[3].lang + "/" + questions[3].text, "hust/en/b");
}

TEST(UnansweredQuestions, AnEntryWithoutAUniversityIsGroupedUnderNone) {
  const Entries entries{{"1", {{"lang", "en"}, {"text", "hello?"}}}, {"2", {{"lang", "en"}, {"text", "hello?"}}}};
  const auto questions = group_unanswered(entries);
  ASSERT_EQ(questions.size(), 1u);
  EXPECT_EQ(questions[0].university, "");
  EXPECT_EQ(questions[0].count, 2);
  EXPECT_TRUE(group_unanswered({}).empty());
}

}  // namespace
}  // namespace permit::core
