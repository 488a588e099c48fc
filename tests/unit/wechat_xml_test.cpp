#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/protocol_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace permit::wechat {
namespace {

constexpr std::string_view kTextMessage =
    "<xml><ToUserName><![CDATA[gh_123]]></ToUserName>"
    "<FromUserName><![CDATA[oUser_-42]]></FromUserName>"
    "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId></xml>";

boost::system::error_code parse_error(std::string_view body) {
  const auto fields = parse_xml_fields(body);
  EXPECT_FALSE(fields);
  return fields ? boost::system::error_code{} : fields.error();
}

MessageFields text_fields() { return parse_xml_fields(kTextMessage).value(); }

boost::system::error_code message_error(const MessageFields& fields) {
  const auto message = message_from_fields(fields);
  EXPECT_FALSE(message);
  return message ? boost::system::error_code{} : message.error();
}

// --- parsing -----------------------------------------------------------

TEST(MessageFields, ParsesPlatformTextMessage) {
  const auto fields = text_fields();
  EXPECT_EQ(fields.size(), 6u);
  EXPECT_EQ(fields.at("ToUserName"), "gh_123");
  EXPECT_EQ(fields.at("CreateTime"), "1348831860");
  EXPECT_EQ(fields.at("Content"), "this is a test");
}

TEST(MessageFields, AcceptsDeclarationWhitespaceAndComments) {
  const auto fields = parse_xml_fields(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml>\n  <!-- a <!DOCTYPE in a comment -->\n"
      "  <A>1</A>\n  <B><![CDATA[<!ENTITY is just text here>]]></B>\n</xml>\n");
  ASSERT_TRUE(fields) << fields.error().message();
  EXPECT_EQ(fields->at("A"), "1");
  EXPECT_EQ(fields->at("B"), "<!ENTITY is just text here>");
}

TEST(MessageFields, ThePlatformsPlainFormAndTheFullParseGiveTheSameFields) {
  // The plain form is read without the XML parser; anything else takes the
  // parser. Both must give the same fields.
  const std::string plain = "<xml><A><![CDATA[a <b> & c]]></A>\n <B>1 2</B><C></C><D><![CDATA[]]></D></xml>";
  const std::string full = "<?xml version=\"1.0\"?>" + plain;
  for (const auto& body : {plain, full}) {
    const auto fields = parse_xml_fields(body);
    ASSERT_TRUE(fields) << body;
    EXPECT_EQ(fields->size(), 4u);
    EXPECT_EQ(fields->at("A"), "a <b> & c");
    EXPECT_EQ(fields->at("B"), "1 2");
    EXPECT_EQ(fields->at("C"), "");
    EXPECT_EQ(fields->at("D"), "");
  }
  // What the parser changes goes to the parser.
  EXPECT_EQ(parse_xml_fields("<xml><A><![CDATA[x\r\ny]]></A></xml>").value().at("A"), "x\ny");
  EXPECT_EQ(parse_xml_fields("<xml><A>x\r\ny&amp;</A></xml>").value().at("A"), "x\ny&");
  EXPECT_EQ(parse_xml_fields("<xml><A b=\"1\">x</A></xml>").value().at("A"), "x");
  EXPECT_EQ(parse_xml_fields("<xml><A><![CDATA[x]]> </A></xml>").value().at("A"), "x");
  EXPECT_EQ(parse_error("<xml><A>1</B></xml>"), ProtocolError::malformed_xml);
  // Read in place, the plain form has the same fields; the others none.
  const auto views = parse_plain_xml(plain);
  ASSERT_TRUE(views);
  const auto fields = parse_xml_fields(plain).value();
  ASSERT_EQ(views->size(), fields.size());
  for (const auto& [name, text] : fields) EXPECT_EQ(views->at(name), text) << name;
  EXPECT_FALSE(parse_plain_xml(full));
  EXPECT_FALSE(parse_plain_xml("<xml><A>x\r\ny&amp;</A></xml>"));
}

TEST(MessageFields, ConcatenatesSeveralCdataSectionsAndText) {
  const auto fields = parse_xml_fields("<xml><C>a<![CDATA[b]]]]><![CDATA[>c]]>d</C></xml>");
  EXPECT_EQ(fields.value().at("C"), "ab]]>cd");
}

TEST(MessageFields, ExpandsOnlyPredefinedAndNumericEntities) {
  const auto fields = parse_xml_fields("<xml><C>&lt;&amp;&gt;&quot;&apos;&#65;&#x42;</C></xml>");
  EXPECT_EQ(fields.value().at("C"), "<&>\"'AB");
}

TEST(MessageFields, KeepsWhitespaceOnlyValueAndEmptyElement) {
  const auto fields = parse_xml_fields("<xml><C> </C><E/><F><![CDATA[]]></F></xml>");
  EXPECT_EQ(fields.value().at("C"), " ");
  EXPECT_EQ(fields.value().at("E"), "");
  EXPECT_EQ(fields.value().at("F"), "");
}

TEST(MessageFields, ParsesHugeCdata) {
  const std::string big(60 * 1024, 'x');
  const auto fields = parse_xml_fields("<xml><Content><![CDATA[" + big + "]]></Content></xml>");
  EXPECT_EQ(fields.value().at("Content"), big);
}

TEST(MessageFields, RefusesBillionLaughs) {
  EXPECT_EQ(parse_error("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
                        "<!ENTITY lol \"lol\">\n"
                        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n]>\n"
                        "<xml><Content>&lol2;</Content></xml>"),
            ProtocolError::forbidden_markup);
}

TEST(MessageFields, RefusesExternalEntity) {
  EXPECT_EQ(parse_error("<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                        "<xml><Content>&xxe;</Content></xml>"),
            ProtocolError::forbidden_markup);
}

TEST(MessageFields, RefusesEntityDeclarationWithoutDoctype) {
  EXPECT_EQ(parse_error("<xml><!ENTITY x \"y\"><A>1</A></xml>"), ProtocolError::forbidden_markup);
}

TEST(MessageFields, RefusesOtherBangMarkup) {
  EXPECT_EQ(parse_error("<xml><!ELEMENT a ANY><A>1</A></xml>"), ProtocolError::forbidden_markup);
  EXPECT_EQ(parse_error("<xml><![INCLUDE[<A>1</A>]]></xml>"), ProtocolError::forbidden_markup);
}

TEST(MessageFields, LeavesUnknownEntityUnexpanded) {
  const auto fields = parse_xml_fields("<xml><C>&xxe;</C></xml>");
  EXPECT_EQ(fields.value().at("C"), "&xxe;");
}

TEST(MessageFields, RefusesProcessingInstructions) {
  EXPECT_EQ(parse_error("<xml><?php echo 1; ?><A>1</A></xml>"), ProtocolError::forbidden_markup);
  EXPECT_EQ(parse_error("<?xml-stylesheet href=\"x\"?><xml><A>1</A></xml>"),
            ProtocolError::forbidden_markup);
  EXPECT_EQ(parse_error("<xml><A>1</A></xml><?xml version=\"1.0\"?>"),
            ProtocolError::forbidden_markup);
  EXPECT_EQ(parse_error("<!-- first --><?xml version=\"1.0\"?><xml><A>1</A></xml>"),
            ProtocolError::forbidden_markup);
}

TEST(MessageFields, RefusesNestedElements) {
  EXPECT_EQ(parse_error("<xml><A><B>1</B></A></xml>"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesDuplicateFields) {
  EXPECT_EQ(parse_error("<xml><MsgId>1</MsgId><MsgId>2</MsgId></xml>"),
            ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesNonXmlRoot) {
  EXPECT_EQ(parse_error("<root><A>1</A></root>"), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error("<XML><A>1</A></XML>"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesSeveralRoots) {
  EXPECT_EQ(parse_error("<xml><A>1</A></xml><xml><A>2</A></xml>"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesTextOutsideFields) {
  EXPECT_EQ(parse_error("<xml>stray<A>1</A></xml>"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesTextOutsideTheRoot) {
  const std::string body(kTextMessage);
  for (const std::string& bad :
       {"garbage" + body, body + "garbage", "<?xml version=\"1.0\"?>junk" + body, "<!-- c -->x" + body,
        body + "<!-- c -->x", "&amp;" + body, body + "&#20;", " \n x \n" + body, body + "<![CDATA[x]]>"})
    EXPECT_EQ(parse_error(bad), ProtocolError::malformed_xml) << bad;
  // White space around the root is no text.
  EXPECT_TRUE(parse_xml_fields(" \r\n\t" + body + "\n \n"));
}

TEST(MessageFields, RefusesTruncatedDocument) {
  const std::string body(kTextMessage);
  EXPECT_EQ(parse_error(body.substr(0, body.size() / 2)), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error(body.substr(0, body.size() - 1)), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error("<xml><A><![CDATA[never closed</A></xml>"), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error("<xml><A>1</A><!"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesEmptyOrBlankBody) {
  EXPECT_EQ(parse_error(""), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error("   \n"), ProtocolError::malformed_xml);
  EXPECT_EQ(parse_error("not xml at all"), ProtocolError::malformed_xml);
}

TEST(MessageFields, RefusesEmbeddedNul) {
  EXPECT_EQ(parse_error(std::string("<xml><A>1</A></xml>\0<!DOCTYPE x>", 32)),
            ProtocolError::malformed_xml);
}

// --- message fields ----------------------------------------------------

TEST(InboundMessage, ReadsTextMessage) {
  const auto message = message_from_fields(text_fields()).value();
  EXPECT_EQ(message.to_user, "gh_123");
  EXPECT_EQ(message.from_user, "oUser_-42");
  EXPECT_EQ(message.create_time, 1348831860);
  EXPECT_EQ(message.msg_type, "text");
  EXPECT_EQ(message.content, "this is a test");
  EXPECT_EQ(message.msg_id, 1234567890123456u);
}

TEST(InboundMessage, ReadsTheSameMessageFromFieldsReadInPlace) {
  const auto views = parse_plain_xml(kTextMessage);
  ASSERT_TRUE(views);
  const auto message = message_from_fields(*views).value();
  const auto expected = message_from_fields(text_fields()).value();
  EXPECT_EQ(message.to_user, expected.to_user);
  EXPECT_EQ(message.from_user, expected.from_user);
  EXPECT_EQ(message.create_time, expected.create_time);
  EXPECT_EQ(message.msg_type, expected.msg_type);
  EXPECT_EQ(message.content, expected.content);
  EXPECT_EQ(message.msg_id, expected.msg_id);
}

TEST(InboundMessage, ReadsImageMessageWithoutContent) {
  auto fields = text_fields();
  fields.erase("Content");
  fields["MsgType"] = "image";
  fields["PicUrl"] = "http://example.com/a.jpg";
  EXPECT_EQ(message_from_fields(fields).value().msg_type, "image");
}

TEST(InboundMessage, MissingRequiredFieldIsReported) {
  for (const char* name : {"ToUserName", "FromUserName", "CreateTime", "MsgType", "MsgId"}) {
    auto fields = text_fields();
    fields.erase(name);
    EXPECT_EQ(message_error(fields), ProtocolError::missing_field) << name;
  }
}

TEST(InboundMessage, TextWithoutContentIsMissingField) {
  auto fields = text_fields();
  fields.erase("Content");
  EXPECT_EQ(message_error(fields), ProtocolError::missing_field);
}

TEST(InboundMessage, NonNumericCreateTimeIsBadField) {
  for (const char* value : {"abc", "", "-5", "12 3", "99999999999999999999"}) {
    auto fields = text_fields();
    fields["CreateTime"] = value;
    EXPECT_EQ(message_error(fields), ProtocolError::bad_field) << value;
  }
}

TEST(InboundMessage, NegativeOrOversizedMsgIdIsBadField) {
  for (const char* value : {"-1", "18446744073709551616", "", "0x10", "1e5"}) {
    auto fields = text_fields();
    fields["MsgId"] = value;
    EXPECT_EQ(message_error(fields), ProtocolError::bad_field) << value;
  }
}

TEST(InboundMessage, AcceptsLargestMsgId) {
  auto fields = text_fields();
  fields["MsgId"] = "18446744073709551615";
  EXPECT_EQ(message_from_fields(fields).value().msg_id, 18446744073709551615u);
}

TEST(InboundMessage, OpenidWithUnsafeCharactersIsBadField) {
  for (const std::string& value : std::initializer_list<std::string>{
           "o user", "o{user}", "o:user", "", std::string(129, 'a')}) {
    auto fields = text_fields();
    fields["FromUserName"] = value;
    EXPECT_EQ(message_error(fields), ProtocolError::bad_field) << value;
  }
}

TEST(InboundMessage, AcceptsOpenidOfMaximumLength) {
  auto fields = text_fields();
  fields["FromUserName"] = std::string(128, 'a');
  EXPECT_TRUE(message_from_fields(fields));
}

TEST(InboundMessage, ReadsSubscribeEventWithoutMsgId) {
  const auto fields =
      parse_xml_fields(build_event_message("gh_123", "oUser", 1348831860, "subscribe",
                                           "qrscene_123"))
          .value();
  const auto message = message_from_fields(fields).value();
  EXPECT_EQ(message.msg_type, "event");
  EXPECT_EQ(message.event, "subscribe");
  EXPECT_EQ(message.event_key, "qrscene_123");
  EXPECT_FALSE(message.msg_id);
}

TEST(InboundMessage, EventWithoutEventIsMissingField) {
  auto fields = parse_xml_fields(build_event_message("gh", "oUser", 1, "CLICK", "k")).value();
  fields.erase("Event");
  EXPECT_EQ(message_error(fields), ProtocolError::missing_field);
}

TEST(InboundMessage, EventKeyIsOptional) {
  auto fields = parse_xml_fields(build_event_message("gh", "oUser", 1, "unsubscribe", "")).value();
  fields.erase("EventKey");
  EXPECT_EQ(message_from_fields(fields).value().event_key, "");
}

// --- dedupe keys -------------------------------------------------------

TEST(DedupeKey, MessageIsKeyedByMsgId) {
  EXPECT_EQ(dedupe_key(message_from_fields(text_fields()).value()), "m:1234567890123456");
}

TEST(DedupeKey, EventIsKeyedBySenderTimeEventAndKey) {
  const auto fields =
      parse_xml_fields(build_event_message("gh", "oUser", 1348831860, "CLICK", "MENU_A")).value();
  EXPECT_EQ(dedupe_key(message_from_fields(fields).value()), "e:oUser:1348831860:CLICK:MENU_A");
}

TEST(DedupeKey, DifferentMenuClicksInSameSecondDiffer) {
  const auto a = message_from_fields(
      parse_xml_fields(build_event_message("gh", "oUser", 5, "CLICK", "A")).value());
  const auto b = message_from_fields(
      parse_xml_fields(build_event_message("gh", "oUser", 5, "CLICK", "B")).value());
  EXPECT_NE(dedupe_key(a.value()), dedupe_key(b.value()));
}

// --- builders ----------------------------------------------------------

TEST(TextReply, HasThePlatformLayout) {
  EXPECT_EQ(build_text_reply("oUser", "gh_123", 1700000000, "hi"),
            "<xml><ToUserName><![CDATA[oUser]]></ToUserName>"
            "<FromUserName><![CDATA[gh_123]]></FromUserName>"
            "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            "<Content><![CDATA[hi]]></Content></xml>");
}

TEST(TextReply, EscapesCdataTerminatorAndParsesBack) {
  for (const std::string_view content : {"a]]>b", "]]>", "]]>]]>x]]", "x]]]>y", "<b>&amp;</b>"}) {
    const auto reply = build_text_reply("oUser", "gh_123", 1, content);
    const auto fields = parse_xml_fields(reply);
    ASSERT_TRUE(fields) << reply;
    EXPECT_EQ(fields->at("Content"), content);
  }
}

TEST(EncryptedEnvelope, HasThePlatformLayout) {
  EXPECT_EQ(build_encrypted_envelope("ENC", "SIG", "1411443780", "nonce"),
            "<xml><Encrypt><![CDATA[ENC]]></Encrypt>"
            "<MsgSignature><![CDATA[SIG]]></MsgSignature>"
            "<TimeStamp>1411443780</TimeStamp><Nonce><![CDATA[nonce]]></Nonce></xml>");
}

TEST(EncryptedPostBody, HasThePlatformLayout) {
  EXPECT_EQ(build_encrypted_post_body("gh_123", "ENC+/="),
            "<xml><ToUserName><![CDATA[gh_123]]></ToUserName>"
            "<Encrypt><![CDATA[ENC+/=]]></Encrypt></xml>");
}

TEST(TextMessage, BuiltMessageParsesBackToSameFields) {
  const auto body = build_text_message("gh_123", "oUser", 1348831860, "hello ]]> there", 42);
  const auto message = message_from_fields(parse_xml_fields(body).value()).value();
  EXPECT_EQ(message.to_user, "gh_123");
  EXPECT_EQ(message.from_user, "oUser");
  EXPECT_EQ(message.create_time, 1348831860);
  EXPECT_EQ(message.content, "hello ]]> there");
  EXPECT_EQ(message.msg_id, 42u);
}

TEST(VoiceMessage, TheRecognitionIsReadAsTheMessagesTextAndAbsentIsEmpty) {
  const auto heard = build_voice_message("gh_1", "o_voice", 1700000000, "media_1", "where is the office", 77);
  auto fields = parse_xml_fields(heard);
  ASSERT_TRUE(fields) << heard;
  auto message = message_from_fields(*fields);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->msg_type, "voice");
  EXPECT_EQ(message->content, "where is the office");
  EXPECT_EQ(dedupe_key(*message), "m:77");
  const auto silent = build_voice_message("gh_1", "o_voice", 1700000000, "media_2", std::nullopt, 78);
  EXPECT_EQ(silent.find("Recognition"), std::string::npos) << silent;
  auto unheard = message_from_fields(*parse_xml_fields(silent));
  ASSERT_TRUE(unheard);
  EXPECT_EQ(unheard->content, "");
  // A voice message still needs its MsgId: retries are told apart by it.
  auto no_id = parse_xml_fields(
      "<xml><ToUserName>gh</ToUserName><FromUserName>o_1</FromUserName><CreateTime>1</CreateTime>"
      "<MsgType>voice</MsgType><Recognition>hi</Recognition></xml>");
  ASSERT_TRUE(no_id);
  EXPECT_FALSE(message_from_fields(*no_id));
}

}  // namespace
}  // namespace permit::wechat
