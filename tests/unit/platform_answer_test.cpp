// The platform's answers to the sending API, read as outside input.

#include "bot/outbound/wechat_api.hpp"

#include <gtest/gtest.h>

namespace permit::outbound {
namespace {

TEST(PlatformAnswer, ATokenAnswerGivesTheTokenAndItsLifetime) {
  auto token = read_token_answer(R"({"access_token": "ACCESS", "expires_in": 7000})");
  ASSERT_TRUE(token);
  EXPECT_EQ(token->access_token, "ACCESS");
  EXPECT_EQ(token->expires_in, 7000);
  EXPECT_EQ(read_token_answer(R"({"access_token": "A"})")->expires_in, 7200);
  EXPECT_FALSE(read_token_answer(R"({"errcode": 40013, "errmsg": "invalid appid"})"));
  EXPECT_FALSE(read_token_answer("<html>502 Bad Gateway</html>"));
}

TEST(PlatformAnswer, ASendAnswerGivesItsCode) {
  auto sent = read_send_answer(R"({"errcode": 45015, "errmsg": "response out of time limit"})");
  ASSERT_TRUE(sent);
  EXPECT_EQ(sent->errcode, 45015);
  EXPECT_EQ(sent->errmsg, "response out of time limit");
  EXPECT_FALSE(read_send_answer(R"({"errmsg": "no code"})"));
  EXPECT_FALSE(read_send_answer(""));
}

// 140 KB of "[" from whatever answers at api_base overflowed the stack of
// the recursive parser and killed the bot.
TEST(PlatformAnswer, DeeplyNestedAnswersAreRefusedNotAStackOverflow) {
  const std::string deep(140 * 1024, '[');
  EXPECT_FALSE(read_token_answer(deep));
  EXPECT_FALSE(read_send_answer(deep));
  EXPECT_FALSE(read_send_answer(R"({"errcode": 0, "x": )" + deep));
}

}  // namespace
}  // namespace permit::outbound
