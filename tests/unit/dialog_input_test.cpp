#include "bot/core/inbound_pipeline.hpp"
#include "dialogs/counting_dialog.hpp"

#include <rapidjson/document.h>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace permit {
namespace {

using Kind = dialogs::Inbound::Kind;

wechat::InboundMessage text_message(std::string content) {
  wechat::InboundMessage m;
  m.to_user = "gh_account";
  m.from_user = "oStudent";
  m.create_time = 1700000000;
  m.msg_type = "text";
  m.content = std::move(content);
  m.msg_id = 42;
  return m;
}

wechat::InboundMessage event_message(std::string event, std::string key = {}) {
  wechat::InboundMessage m;
  m.to_user = "gh_account";
  m.from_user = "oStudent";
  m.create_time = 1700000000;
  m.msg_type = "event";
  m.event = std::move(event);
  m.event_key = std::move(key);
  return m;
}

wechat::InboundMessage media_message(std::string type) {
  wechat::InboundMessage m = text_message("");
  m.msg_type = std::move(type);
  return m;
}

// --- core::dialog_input ------------------------------------------------------

TEST(DialogInput, TextMessageBecomesText) {
  const auto input = core::dialog_input(text_message("hello 你好"));
  EXPECT_EQ(input.kind, Kind::text);
  EXPECT_EQ(input.text, "hello 你好");
}

TEST(DialogInput, MenuClickBecomesTextCarryingEventKey) {
  const auto input = core::dialog_input(event_message("CLICK", "MENU_STATUS"));
  EXPECT_EQ(input.kind, Kind::text);
  EXPECT_EQ(input.text, "MENU_STATUS");
}

TEST(DialogInput, SubscribeEventBecomesSubscribe) {
  EXPECT_EQ(core::dialog_input(event_message("subscribe")).kind, Kind::subscribe);
  // Following through a QR code carries the scene in the event key.
  const auto via_qr = core::dialog_input(event_message("subscribe", "qrscene_123"));
  EXPECT_EQ(via_qr.kind, Kind::subscribe);
  EXPECT_EQ(via_qr.text, "qrscene_123");
}

TEST(DialogInput, UnsubscribeEventBecomesUnsubscribe) {
  const auto input = core::dialog_input(event_message("unsubscribe"));
  EXPECT_EQ(input.kind, Kind::unsubscribe);
  EXPECT_EQ(input.text, "");
}

TEST(DialogInput, MediaMessagesAreUnsupported) {
  for (const char* type : {"image", "voice", "video", "shortvideo", "location", "link"}) {
    const auto input = core::dialog_input(media_message(type));
    EXPECT_EQ(input.kind, Kind::unsupported) << type;
    EXPECT_EQ(input.text, "") << type;
  }
}

TEST(DialogInput, EventsNeedingNoAnswerAreIgnored) {
  for (const char* event : {"VIEW", "SCAN", "LOCATION"}) {
    const auto input = core::dialog_input(event_message(event, "https://example.com/menu"));
    EXPECT_EQ(input.kind, Kind::ignored) << event;
    EXPECT_EQ(input.text, "") << event;
  }
}

TEST(DialogInput, EventNamesAreCaseSensitive) {
  // The platform sends CLICK in upper case; "click" is some other event.
  EXPECT_EQ(core::dialog_input(event_message("click", "MENU_STATUS")).kind, Kind::ignored);
}

// --- dialogs::CountingDialog ---------------------------------------------------

struct State {
  std::int64_t messages = -1;
  bool subscribed = false;
  std::int64_t updated = -1;
};

State parse_state(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  State s;
  EXPECT_FALSE(doc.HasParseError()) << json;
  if (doc.HasParseError() || !doc.IsObject()) {
    ADD_FAILURE() << "state is not a JSON object: " << json;
    return s;
  }
  if (doc.HasMember("messages") && doc["messages"].IsInt64()) s.messages = doc["messages"].GetInt64();
  else ADD_FAILURE() << "no integer 'messages' in " << json;
  if (doc.HasMember("subscribed") && doc["subscribed"].IsBool()) s.subscribed = doc["subscribed"].GetBool();
  else ADD_FAILURE() << "no boolean 'subscribed' in " << json;
  if (doc.HasMember("updated") && doc["updated"].IsInt64()) s.updated = doc["updated"].GetInt64();
  return s;
}

class CountingDialogTest : public testing::Test {
 protected:
  dialogs::Outcome respond(std::string_view state, Kind kind, std::string text = {}) {
    return dialog_.respond(state, dialogs::Inbound{kind, std::move(text)}, now_);
  }

  dialogs::CountingDialog dialog_;
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1700000123)};
};

TEST_F(CountingDialogTest, FirstTextIsMessageOne) {
  const auto out = respond("", Kind::text, "hi");
  ASSERT_EQ(out.replies.size(), 1u);
  EXPECT_EQ(out.replies[0], "Message 1 received: hi");
  const State s = parse_state(out.state);
  EXPECT_EQ(s.messages, 1);
  EXPECT_TRUE(s.subscribed);
  EXPECT_EQ(s.updated, 1700000123);
}

TEST_F(CountingDialogTest, CountsOnlyTextMessages) {
  std::string state;
  const Kind sequence[] = {Kind::text, Kind::unsupported, Kind::ignored, Kind::subscribe, Kind::text, Kind::text};
  for (Kind kind : sequence) state = respond(state, kind, "x").state;
  EXPECT_EQ(parse_state(state).messages, 3);
  const auto out = respond(state, Kind::text, "fourth");
  ASSERT_EQ(out.replies.size(), 1u);
  EXPECT_EQ(out.replies[0], "Message 4 received: fourth");
}

TEST_F(CountingDialogTest, ContinuesFromStoredCount) {
  const auto out = respond(R"({"messages":41,"subscribed":true,"updated":1})", Kind::text, "again");
  EXPECT_EQ(parse_state(out.state).messages, 42);
  ASSERT_EQ(out.replies.size(), 1u);
  EXPECT_EQ(out.replies[0], "Message 42 received: again");
}

TEST_F(CountingDialogTest, ReadsOnlyTheStateViewNotBeyondIt) {
  const std::string buffer = R"({"messages":4,"subscribed":false}{"messages":99})";
  const std::string_view state(buffer.data(), buffer.find('}') + 1);
  const State s = parse_state(respond(state, Kind::text, "x").state);
  EXPECT_EQ(s.messages, 5);
  EXPECT_FALSE(s.subscribed);
}

TEST_F(CountingDialogTest, GarbageStateStartsAFreshCount) {
  for (std::string_view garbage : {"not json{", "[1,2,3]", "\"text\"", R"({"messages":"seven"})", "{\"messages\":"}) {
    const auto out = respond(garbage, Kind::text, "hi");
    const State s = parse_state(out.state);
    EXPECT_EQ(s.messages, 1) << garbage;
    EXPECT_TRUE(s.subscribed) << garbage;
    ASSERT_EQ(out.replies.size(), 1u) << garbage;
    EXPECT_EQ(out.replies[0], "Message 1 received: hi") << garbage;
  }
}

TEST_F(CountingDialogTest, UnsubscribeClearsSubscribedAndSaysNothing) {
  const auto out = respond(R"({"messages":3,"subscribed":true})", Kind::unsubscribe);
  EXPECT_TRUE(out.replies.empty());
  const State s = parse_state(out.state);
  EXPECT_FALSE(s.subscribed);
  EXPECT_EQ(s.messages, 3);
}

TEST_F(CountingDialogTest, SubscribeWelcomesAndSetsSubscribed) {
  const auto out = respond(R"({"messages":3,"subscribed":false})", Kind::subscribe);
  ASSERT_EQ(out.replies.size(), 1u);
  EXPECT_NE(out.replies[0].find("Welcome"), std::string::npos) << out.replies[0];
  const State s = parse_state(out.state);
  EXPECT_TRUE(s.subscribed);
  EXPECT_EQ(s.messages, 3);
}

TEST_F(CountingDialogTest, UnsupportedGetsApologyAndIgnoredGetsNothing) {
  const auto unsupported = respond("", Kind::unsupported);
  ASSERT_EQ(unsupported.replies.size(), 1u);
  EXPECT_NE(unsupported.replies[0].find("only read text"), std::string::npos) << unsupported.replies[0];
  EXPECT_TRUE(respond("", Kind::ignored).replies.empty());
}

TEST_F(CountingDialogTest, UnsubscribedStateSurvivesOtherMessages) {
  std::string state = respond("", Kind::unsubscribe).state;
  state = respond(state, Kind::ignored).state;
  state = respond(state, Kind::text, "x").state;
  EXPECT_FALSE(parse_state(state).subscribed);
}

}  // namespace
}  // namespace permit
