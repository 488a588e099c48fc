#include "handlers/query_params.hpp"

#include <gtest/gtest.h>

namespace permit::handlers {
namespace {

TEST(QueryParams, ValuesAreDecodedAndTheFirstOfARepeatedNameWins) {
  auto q = QueryParams::parse("/wechat?signature=ab%2Fc&timestamp=1700000000&nonce=42&nonce=43&echostr=a+b%20c");
  EXPECT_EQ(q.get("signature"), "ab/c");
  EXPECT_EQ(q.get("timestamp"), "1700000000");
  EXPECT_EQ(q.get("nonce"), "42") << "a name given twice keeps its first value";
  EXPECT_EQ(q.get("echostr"), "a b c") << "'+' is a space, as a form encodes it";
  EXPECT_EQ(q.get("openid"), std::nullopt);
  EXPECT_EQ(q.get_or_empty("openid"), "");
}

TEST(QueryParams, AnEncodedNameIsMatchedDecodedAndANameWithoutValueIsNone) {
  auto q = QueryParams::parse("/x?dry%5Frun=1&flag&empty=");
  EXPECT_EQ(q.get("dry_run"), "1");
  EXPECT_EQ(q.get("flag"), std::nullopt) << "no '=': no value";
  EXPECT_EQ(q.get("empty"), "");
}

TEST(QueryParams, SplitAsBoostUrlSplitsAnOriginForm) {
  auto q = QueryParams::parse("/a/b?&x=1=2&&y=?/:@!$'()*,;~&z");
  EXPECT_EQ(q.get("x"), "1=2") << "the key ends at the first '='";
  EXPECT_EQ(q.get("y"), "?/:@!$'()*,;~") << "'?', '/' and pchars are query characters";
  EXPECT_EQ(q.get("z"), std::nullopt);
  EXPECT_EQ(QueryParams::parse("/?a=1").get("a"), "1");
  EXPECT_EQ(QueryParams::parse("/x?").get(""), std::nullopt);
}

TEST(QueryParams, AnUnparsableTargetHasNoParameters) {
  for (const char* bad : {"no-slash?a=1", "/x?a=%zz", "/x?a=%", "", "/x?a=1#f", "/x?a=1 ", "/x?a=[1]", "/%4?a=1",
                          "/x?a=\x80"}) {
    auto q = QueryParams::parse(bad);
    EXPECT_EQ(q.get("a"), std::nullopt) << bad;
  }
  auto copy = QueryParams::parse("/x?a=1");
  auto moved = std::move(copy);
  EXPECT_EQ(moved.get("a"), "1") << "the spans survive a move of a short target";
}

}  // namespace
}  // namespace permit::handlers
