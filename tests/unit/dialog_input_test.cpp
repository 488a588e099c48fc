#include "bot/inbound/inbound_pipeline.hpp"

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
  for (const char* type : {"image", "video", "shortvideo", "location", "link"}) {
    const auto input = core::dialog_input(media_message(type));
    EXPECT_EQ(input.kind, Kind::unsupported) << type;
    EXPECT_EQ(input.text, "") << type;
  }
}

TEST(DialogInput, AVoiceMessageCarriesThePlatformsRecognition) {
  auto voice = media_message("voice");
  voice.content = "where is the office";
  const auto heard = core::dialog_input(voice);
  EXPECT_EQ(heard.kind, Kind::voice);
  EXPECT_EQ(heard.text, "where is the office");
  const auto unheard = core::dialog_input(media_message("voice"));
  EXPECT_EQ(unheard.kind, Kind::voice);
  EXPECT_EQ(unheard.text, "");
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


}  // namespace
}  // namespace permit
