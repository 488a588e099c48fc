// json::parse, the one door for JSON from outside: iterative, bounded in
// depth, and reading exactly the bytes it is given.

#include "dialogs/student_state.hpp"
#include "json/parse.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::json {
namespace {

std::string nested(unsigned depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(JsonParse, ReadsADocument) {
  rapidjson::Document doc;
  ASSERT_TRUE(parse(doc, R"({"a": [1, "x", {"b": null}], "c": 2.5})"));
  EXPECT_EQ(doc["a"][1].GetString(), std::string("x"));
  EXPECT_EQ(doc["c"].GetDouble(), 2.5);
  // A UTF-8 byte order mark is skipped, as Document::Parse does.
  ASSERT_TRUE(parse(doc, "\xEF\xBB\xBF{\"a\": 1}"));
  EXPECT_EQ(doc["a"].GetInt(), 1);
}

TEST(JsonParse, NestingPastTheLimitIsRefusedAndSaysSo) {
  rapidjson::Document doc;
  EXPECT_TRUE(parse(doc, nested(kMaxDepth)));
  auto outcome = parse(doc, nested(kMaxDepth + 1));
  ASSERT_FALSE(outcome);
  EXPECT_TRUE(outcome.too_deep());
  EXPECT_EQ(outcome.message(), "nested more than 64 levels deep");
  EXPECT_TRUE(doc.IsNull()) << "a refused parse leaves the document null";
  EXPECT_FALSE(parse(doc, R"({"a": {"b": {"c": 1}}})", 2));
  EXPECT_TRUE(parse(doc, R"({"a": {"b": 1}})", 2));
}

// What killed the bot: the recursive parser overflowed its stack.
TEST(JsonParse, HundredsOfKilobytesOfBracketsAreJustAnError) {
  rapidjson::Document doc;
  for (const std::string& hostile : {std::string(140 * 1024, '['), std::string(512 * 1024, '{'),
                                     "{\"a\":" + std::string(140 * 1024, '['), nested(100000)}) {
    auto outcome = parse(doc, hostile);
    EXPECT_FALSE(outcome);
    EXPECT_FALSE(outcome.message().empty());
  }
}

TEST(JsonParse, ANulByteIsAnErrorNotTheEnd) {
  rapidjson::Document doc;
  auto outcome = parse(doc, std::string("{\"a\": 1}\0{\"b\": 2}", 17));
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.offset(), 8u);
  EXPECT_FALSE(parse(doc, std::string("{\"a\": \"x\0y\"}", 12)));
  EXPECT_FALSE(parse(doc, ""));
  EXPECT_FALSE(parse(doc, "{} {}"));
}

TEST(JsonParse, TheErrorSaysWhereAndWhy) {
  rapidjson::Document doc;
  auto outcome = parse(doc, R"({"a": oops})");
  ASSERT_FALSE(outcome);
  EXPECT_FALSE(outcome.too_deep());
  EXPECT_EQ(outcome.offset(), 6u);
  EXPECT_EQ(outcome.message(), "Invalid value.");
}

// The conversation state from Redis goes through the same door.
TEST(JsonParse, ADeepStudentStateReadsAsAnEmptyOne) {
  auto state = dialogs::StudentState::parse(R"({"u": "cqupt", "answers": )" + std::string(60000, '[') + "}");
  EXPECT_TRUE(state.university.empty());
}

}  // namespace
}  // namespace permit::json
