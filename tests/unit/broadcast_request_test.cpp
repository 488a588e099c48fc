// What a broadcast request must say before anything is queued: each
// refusal names the field at fault, and a good request is read whole.

#include "bot/staff/broadcast_request.hpp"
#include "json/parse.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace permit::core {
namespace {

boost::system::result<BroadcastSpec, util::FieldError> request_of(std::string_view body, bool dry_run = false) {
  rapidjson::Document doc;
  EXPECT_TRUE(json::parse(doc, body)) << body;
  return read_broadcast_request(doc, dry_run, [](const std::string& id) { return id == "cqupt" || id == "hust"; });
}

// A valid text, to put after an audience.
const std::string kText = R"("text": {"en": "Fees are due", "zh": "请缴费"})";

void expect_refused(std::string_view body, const std::string& pointer, const std::string& message,
                    bool dry_run = false) {
  auto read_back = request_of(body, dry_run);
  ASSERT_FALSE(read_back) << body;
  EXPECT_EQ(read_back.error().pointer, pointer) << body;
  EXPECT_EQ(read_back.error().message, message) << body;
}

TEST(BroadcastRequest, ABodyThatIsNotAnObjectIsRefusedAtTheRoot) {
  expect_refused("[]", "/", "the body must be a JSON object");
  expect_refused("\"all\"", "/", "the body must be a JSON object");
}

TEST(BroadcastRequest, AnAudienceObjectIsRequired) {
  expect_refused("{" + kText + "}", "/audience", "an audience object is required");
  expect_refused(R"({"audience": true, )" + kText + "}", "/audience", "an audience object is required");
}

TEST(BroadcastRequest, AnAudienceWithoutAFilterIsRefused) {
  expect_refused(R"({"audience": {}, )" + kText + "}", "/audience", "give a filter, or \"all\": true");
  expect_refused(R"({"audience": {"all": false}, )" + kText + "}", "/audience", "give a filter, or \"all\": true");
}

TEST(BroadcastRequest, EachFilterIsCheckedAtItsOwnPointer) {
  expect_refused(R"({"audience": {"all": "yes"}})", "/audience/all", "must be true or false");
  expect_refused(R"({"audience": {"step": ""}})", "/audience/step", "must be a non-empty string");
  expect_refused(R"({"audience": {"university": 7}})", "/audience/university", "must be a non-empty string");
  expect_refused(R"({"audience": {"university": "mit"}})", "/audience/university", "no such university");
  expect_refused(R"({"audience": {"expiry_from": "2027-02-30"}})", "/audience/expiry_from",
                 "must be a date like 2027-03-01");
  expect_refused(R"({"audience": {"expiry_to": "next week"}})", "/audience/expiry_to",
                 "must be a date like 2027-03-01");
  expect_refused(R"({"audience": {"lang": "fr"}})", "/audience/lang", "must be en or zh");
  expect_refused(R"({"audience": {"colour": "red"}})", "/audience/colour", "unknown filter");
}

TEST(BroadcastRequest, AnExpiryRangeThatEndsBeforeItStartsIsRefused) {
  expect_refused(R"({"audience": {"expiry_from": "2027-04-01", "expiry_to": "2027-03-01"}, )" + kText + "}",
                 "/audience/expiry_from", "expiry_from is after expiry_to");
  EXPECT_TRUE(request_of(R"({"audience": {"expiry_from": "2027-03-01", "expiry_to": "2027-03-01"}, )" + kText + "}"));
}

TEST(BroadcastRequest, TheTextIsRequiredInBothLanguagesAndAtMost2000Bytes) {
  expect_refused(R"({"audience": {"all": true}})", "/text", "a text object with en and zh is required");
  expect_refused(R"({"audience": {"all": true}, "text": "hello"})", "/text", "a text object with en and zh is required");
  expect_refused(R"({"audience": {"all": true}, "text": {"en": "hello"}})", "/text/zh",
                 "the text is required in both languages");
  expect_refused(R"({"audience": {"all": true}, "text": {"en": "", "zh": "你好"}})", "/text/en",
                 "the text is required in both languages");
  const std::string longest(2000, 'a');
  EXPECT_TRUE(request_of(R"({"audience": {"all": true}, "text": {"en": ")" + longest + R"(", "zh": "你好"}})"));
  expect_refused(R"({"audience": {"all": true}, "text": {"en": "hi", "zh": ")" + longest + R"(a"}})", "/text/zh",
                 "at most 2000 bytes");
}

TEST(BroadcastRequest, SendAtMustBeAUnixTimeInSeconds) {
  for (const char* bad : {"-1", "\"tomorrow\"", "1.5"})
    expect_refused(R"({"audience": {"all": true}, )" + kText + R"(, "send_at": )" + bad + "}", "/send_at",
                   "must be a unix time in seconds");
}

TEST(BroadcastRequest, AGoodRequestIsReadWhole) {
  auto spec = request_of(R"({"audience": {"university": "hust", "step": "medical-check", "expiry_from": "2027-03-01",
                                    "expiry_to": "2027-06-30", "lang": "zh"},
                       "text": {"en": "Fees are due", "zh": "请缴费"}, "send_at": 1800000000})");
  ASSERT_TRUE(spec) << spec.error().pointer << ": " << spec.error().message;
  EXPECT_FALSE(spec->audience.all);
  EXPECT_EQ(spec->audience.university, "hust");
  EXPECT_EQ(spec->audience.step, "medical-check");
  EXPECT_EQ(spec->audience.expiry_from, "2027-03-01");
  EXPECT_EQ(spec->audience.expiry_to, "2027-06-30");
  EXPECT_EQ(spec->audience.lang, "zh");
  EXPECT_EQ(spec->text_en, "Fees are due");
  EXPECT_EQ(spec->text_zh, "请缴费");
  EXPECT_EQ(spec->send_at, 1800000000);

  auto now = request_of(R"({"audience": {"all": true}, )" + kText + "}");
  ASSERT_TRUE(now);
  EXPECT_TRUE(now->audience.all);
  EXPECT_EQ(now->send_at, 0) << "no send_at: now";
}

TEST(BroadcastRequest, ADryRunReadsOnlyTheAudience) {
  auto spec = request_of(R"({"audience": {"lang": "en"}, "text": 5, "send_at": "never"})", true);
  ASSERT_TRUE(spec) << spec.error().pointer << ": " << spec.error().message;
  EXPECT_EQ(spec->audience.lang, "en");
  EXPECT_EQ(spec->text_en, "");
  expect_refused(R"({"audience": {"lang": "de"}})", "/audience/lang", "must be en or zh", true);
}

}  // namespace
}  // namespace permit::core
