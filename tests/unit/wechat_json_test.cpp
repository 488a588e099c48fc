// The JSON push variant (mini-program customer service): the same fields
// as the XML, from a flat object.

#include "bot/wechat/message_json.hpp"
#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/protocol_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::wechat {
namespace {

TEST(MessageJson, FlatObjectBecomesTheSameFieldsAsTheXml) {
  auto fields = parse_json_fields(
      R"({"ToUserName":"gh_a","FromUserName":"o_1","CreateTime":1700000000,"MsgType":"text","Content":"你好","MsgId":18446744073709551615})");
  ASSERT_TRUE(fields);
  EXPECT_EQ((*fields)["CreateTime"], "1700000000");
  EXPECT_EQ((*fields)["MsgId"], "18446744073709551615");
  auto message = message_from_fields(*fields);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->content, "你好");
  EXPECT_TRUE(is_json_body("  {\"a\":1}"));
  EXPECT_FALSE(is_json_body("<xml/>"));
}

TEST(MessageJson, AnythingButAFlatObjectIsMalformed) {
  for (const char* bad : {"", "[]", "{", "{\"a\":{\"b\":1}}", "{\"a\":[1]}", "{\"a\":true}", "{\"a\":1.5}"})
    EXPECT_EQ(parse_json_fields(bad).error(), make_error_code(ProtocolError::malformed_xml)) << bad;
  std::string deep(100000, '[');
  EXPECT_FALSE(parse_json_fields("{\"a\":" + deep + "}"));
}

TEST(MessageJson, AMessageWrittenOutReadsBackEqual) {
  auto message = [](const char* from, std::int64_t at, const char* type) {
    InboundMessage m;
    m.to_user = "gh_a";
    m.from_user = from;
    m.create_time = at;
    m.msg_type = type;
    return m;
  };
  InboundMessage text = message("o_1", 1700000000, "text");
  text.content = "你好 \"quoted\" ]]> \n line";
  text.msg_id = 18446744073709551615ULL;
  InboundMessage click = message("o_2", 1700000001, "event");
  click.event = "CLICK";
  click.event_key = "deadline";
  InboundMessage image = text;
  image.msg_type = "image";
  image.content.clear();
  image.msg_id = 7;
  InboundMessage voice = text;
  voice.msg_type = "voice";
  voice.content = "居留许可多少钱";
  voice.msg_id = 8;
  for (const auto& original : {text, click, image, voice}) {
    const std::string body = to_json_body(original);
    auto fields = parse_json_fields(body);
    ASSERT_TRUE(fields) << body;
    auto back = message_from_fields(*fields);
    ASSERT_TRUE(back) << body;
    EXPECT_EQ(back->to_user, original.to_user) << body;
    EXPECT_EQ(back->from_user, original.from_user) << body;
    EXPECT_EQ(back->create_time, original.create_time) << body;
    EXPECT_EQ(back->msg_type, original.msg_type) << body;
    EXPECT_EQ(back->content, original.content) << body;
    EXPECT_EQ(back->msg_id, original.msg_id) << body;
    EXPECT_EQ(back->event, original.event) << body;
    EXPECT_EQ(back->event_key, original.event_key) << body;
    EXPECT_EQ(dedupe_key(*back), dedupe_key(original)) << body;
  }
}

}  // namespace
}  // namespace permit::wechat
