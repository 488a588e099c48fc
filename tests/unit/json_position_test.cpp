#include "dialogs/json_position.hpp"
#include "dialogs/script_loader.hpp"

#include <gtest/gtest.h>

namespace permit::dialogs {
namespace {

const char* kText = R"({
  "id": "x",
  "faq": [
    {"topic": "a"},
    {
      "topic": "b",
      "answer": {"en": "é", "zh": ""}
    }
  ]
})";

TEST(JsonPosition, PointsAtTheMemberKeyOrTheElement) {
  auto at = [](const char* pointer) {
    auto p = locate(kText, pointer);
    return std::to_string(p.line) + ":" + std::to_string(p.column);
  };
  EXPECT_EQ(at(""), "1:1");
  EXPECT_EQ(at("/id"), "2:3");
  EXPECT_EQ(at("/faq"), "3:3");
  EXPECT_EQ(at("/faq/0"), "4:5");
  EXPECT_EQ(at("/faq/1"), "5:5");
  EXPECT_EQ(at("/faq/1/answer/zh"), "7:29");
  // Absent: the nearest ancestor that is there.
  EXPECT_EQ(at("/faq/1/source"), "5:5");
  EXPECT_EQ(at("/faq/7"), "3:3");
}

TEST(JsonPosition, ColumnsCountCharactersNotBytes) {
  const std::string text = "{\"a\": \"é\", \"b\": 1}";
  EXPECT_EQ(locate(text, "/b").column, 12);
}

// The loader gives every error in a file its line and column.
TEST(JsonPosition, LoaderErrorsCarryLineAndColumn) {
  auto read = read_script_files(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts");
  ASSERT_FALSE(read.error);
  auto& cqupt = read.files.at("cqupt.json");
  const auto key = cqupt.find("\"aliases\"");
  ASSERT_NE(key, std::string::npos);
  cqupt.replace(key, 9, "\"aliasez\"");
  auto result = load_scripts(read.files, read.schema);
  ASSERT_FALSE(result.scripts);
  ASSERT_FALSE(result.errors.empty());
  const auto expected = position_at(cqupt, key);
  EXPECT_EQ(result.errors[0].file, "cqupt.json");
  EXPECT_EQ(result.errors[0].line, expected.line) << result.errors[0].to_string();
  EXPECT_EQ(result.errors[0].column, expected.column) << result.errors[0].to_string();
}

}  // namespace
}  // namespace permit::dialogs
