// What the words around another university's name say of it (the dialog
// engine's name_context), on normalised text, with the shipped scripts'
// word lists.

#include "dialogs/name_context.hpp"

#include "dialogs/engine.hpp"
#include "tests/support/shipped_engine.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::dialogs {
namespace {

NameContext around(const std::string& text, const std::string& name) {
  const std::size_t at = text.find(name);
  return name_context(permit::testing::shipped_engine(), text, at, at + name.size());
}

TEST(NameContext, ComparingWordsAroundTheNameAreLeftOutOfTheQuestionAskedHere) {
  auto c = around("和重邮一样要提前30天申请吗", "重邮");
  EXPECT_TRUE(c.compared);
  EXPECT_EQ(c.without, " 要提前30天申请吗");
  c = around("跟东师一样吗", "东师");
  EXPECT_TRUE(c.compared);
  EXPECT_EQ(c.without, " 吗");
  c = around("isnt it 400 like at nenu", "nenu");
  EXPECT_TRUE(c.compared);
  EXPECT_EQ(c.without, "isnt it 400  ");
}

TEST(NameContext, AndBeforeANameComparesOnlyWithAlikeRightAfterIt) {
  EXPECT_FALSE(around("东北师大和重邮的费用分别是多少", "重邮").compared);
  EXPECT_TRUE(around("和重邮不一样吧", "重邮").compared);
  EXPECT_FALSE(around("我和东师的朋友都要办", "东师").compared);
}

TEST(NameContext, ANameAfterFromIsWhereTheStudentCameFrom) {
  const auto c = around("i moved here from dongbei shifan, how do i extend my permit", "dongbei shifan");
  EXPECT_TRUE(c.came_from);
  EXPECT_FALSE(c.compared);
  EXPECT_TRUE(c.without.empty());
  EXPECT_TRUE(around("我是从东北师范大学转学过来的", "东北师范大学").came_from);
  EXPECT_FALSE(around("what about at nenu", "nenu").came_from);
  // (A word, not letters at the end of one: "unlike" compares nothing.)
  EXPECT_TRUE(around("is it the same as hust", "hust").compared);
  EXPECT_FALSE(around("unlike hust", "hust").compared);
}

}  // namespace
}  // namespace permit::dialogs
