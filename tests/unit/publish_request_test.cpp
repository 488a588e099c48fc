// The shape of a publish or rollback request, checked before the publisher
// looks at any release: each refusal points at its field.

#include "bot/scripts/publish_request.hpp"
#include "json/parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace permit::core {
namespace {

rapidjson::Document parsed(std::string_view body) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(doc, body)) << body;
  return doc;
}

template <class Result>
void expect_refused(const Result& read, std::string_view body, const std::string& pointer, const std::string& message) {
  ASSERT_FALSE(read) << body;
  EXPECT_EQ(read.error().pointer, pointer) << body;
  EXPECT_EQ(read.error().message, message) << body;
}

void expect_publish_refused(std::string_view body, const std::string& pointer, const std::string& message) {
  expect_refused(read_publish_request(parsed(body)), body, pointer, message);
}

void expect_rollback_refused(std::string_view body, const std::string& pointer, const std::string& message) {
  expect_refused(read_rollback_request(parsed(body)), body, pointer, message);
}

TEST(PublishRequest, ABodyThatIsNotAnObjectIsRefusedAtTheRoot) {
  expect_publish_refused("[1]", "/", "the body must be a JSON object");
  expect_rollback_refused("null", "/", "the body must be a JSON object");
}

TEST(PublishRequest, TheBaseIsAPositiveReleaseNumberOrAbsent) {
  for (const char* bad : {"0", "-3", "\"2\"", "1.5"})
    expect_publish_refused(std::string(R"({"message": "m", "base": )") + bad + "}", "/base",
                           "must be a release number");
  auto absent = read_publish_request(parsed(R"({"message": "m"})"));
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->base, 0) << "absent: the draft's own base";
}

TEST(PublishRequest, AMessageSayingWhatChangedIsRequired) {
  expect_publish_refused(R"({"base": 1})", "/message", "say what changed and why");
  expect_publish_refused(R"({"base": 1, "message": ""})", "/message", "say what changed and why");
  expect_publish_refused(R"({"base": 1, "message": 42})", "/message", "say what changed and why");
}

TEST(PublishRequest, MigrateMustMapOldNodeIdsToNewOnesPerUniversity) {
  expect_publish_refused(R"({"message": "m", "migrate": []})", "/migrate", "must be an object");
  expect_publish_refused(R"({"message": "m", "migrate": {"cqupt": "photo"}})", "/migrate/cqupt",
                         "must map old node ids to new ones");
  expect_publish_refused(R"({"message": "m", "migrate": {"cqupt": {"photo": "photos", "fee": 3}}})",
                         "/migrate/cqupt/fee", "must be a node id");
}

TEST(PublishRequest, AGoodRequestKeepsItsMigrationAsSent) {
  auto read = read_publish_request(
      parsed(R"({"base": 4, "message": "photo step renamed", "migrate": {"cqupt": {"photo": "photos"}, "hust": {}}})"));
  ASSERT_TRUE(read) << read.error().pointer;
  EXPECT_EQ(read->base, 4);
  EXPECT_EQ(read->message, "photo step renamed");
  EXPECT_EQ(read->migrate_json, R"({"cqupt":{"photo":"photos"},"hust":{}})");
  auto plain = read_publish_request(parsed(R"({"message": "typo"})"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->migrate_json, "") << "no migrate: none";
}

TEST(RollbackRequest, TheReleaseToGoBackToIsRequired) {
  for (const char* body : {R"({})", R"({"to": 0})", R"({"to": -1})", R"({"to": "1"})"})
    expect_rollback_refused(body, "/to", "the release to go back to");
  expect_rollback_refused(R"({"to": 1, "base": "3"})", "/base", "must be a release number");
}

TEST(RollbackRequest, AGoodRequestIsReadWhole) {
  auto read = read_rollback_request(parsed(R"({"to": 2, "base": 5, "message": "back"})"));
  ASSERT_TRUE(read) << read.error().pointer;
  EXPECT_EQ(read->to, 2);
  EXPECT_EQ(read->base, 5);
  EXPECT_EQ(read->message, "back");
  auto bare = read_rollback_request(parsed(R"({"to": 2})"));
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->base, 0) << "absent: the current release";
  EXPECT_EQ(bare->message, "");
}

}  // namespace
}  // namespace permit::core
