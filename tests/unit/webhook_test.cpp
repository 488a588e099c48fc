// The webhook's protocol without sockets: wechat::read_post and
// wechat::passive_reply. The HTTP side is in tests/integration
// (webhook_e2e_test.cpp).

#include "bot/wechat/signature.hpp"
#include "bot/wechat/webhook.hpp"

#include <gtest/gtest.h>

namespace permit::wechat {
namespace {

constexpr std::int64_t kNow = 1700000000;
const std::string kBody =
    "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><FromUserName><![CDATA[stu1]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[hello]]></Content><MsgId>42</MsgId></xml>";

Account account(bool with_cipher = false) {
  Account a{"tok", "wxappid", std::nullopt, 300};
  // (Any 43 base64 characters make a key.)
  if (with_cipher) a.cipher = MessageCipher::from_encoding_aes_key("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG").value();
  return a;
}

SignedQuery signed_at(std::int64_t when, const std::string& token = "tok") {
  const std::string ts = std::to_string(when);
  return {sign(token, ts, "77"), ts, "77", std::nullopt, ""};
}

Refusal::Kind refusal(const boost::system::result<Verified, Refusal>& r) {
  EXPECT_FALSE(r);
  return r ? Refusal::Kind::bad_request : r.error().kind;
}

TEST(Webhook, ASignedMessageIsRead) {
  auto verified = read_post(account(), signed_at(kNow), kBody, kNow);
  ASSERT_TRUE(verified) << verified.error().reason;
  EXPECT_EQ(verified->message.from_user, "stu1");
  EXPECT_EQ(verified->message.content, "hello");
  EXPECT_FALSE(verified->safe_mode);
  EXPECT_FALSE(verified->json);
}

TEST(Webhook, AWrongMissingOrStaleSignatureIsUnauthorized) {
  EXPECT_EQ(refusal(read_post(account(), signed_at(kNow, "other"), kBody, kNow)), Refusal::Kind::unauthorized);
  EXPECT_EQ(refusal(read_post(account(), SignedQuery{}, kBody, kNow)), Refusal::Kind::unauthorized);
  EXPECT_EQ(refusal(read_post(account(), signed_at(kNow - 301), kBody, kNow)), Refusal::Kind::unauthorized);
  EXPECT_TRUE(read_post(account(), signed_at(kNow - 300), kBody, kNow));
}

TEST(Webhook, ABadBodyIsABadRequestAndSaysWhy) {
  auto garbage = read_post(account(), signed_at(kNow), "garbage<xml></xml>", kNow);
  EXPECT_EQ(refusal(garbage), Refusal::Kind::bad_request);
  EXPECT_NE(garbage.error().reason.find("malformed body"), std::string::npos) << garbage.error().reason;
  auto no_sender = read_post(account(), signed_at(kNow), "<xml><MsgType>text</MsgType></xml>", kNow);
  EXPECT_EQ(refusal(no_sender), Refusal::Kind::bad_request);
  EXPECT_NE(no_sender.error().reason.find("bad message"), std::string::npos) << no_sender.error().reason;
}

TEST(Webhook, SafeModeWithoutAKeyUsesTheClearCopyOrRefuses) {
  SignedQuery query = signed_at(kNow);
  query.encrypt_type = "aes";
  auto compatible = read_post(account(), query, kBody, kNow);
  ASSERT_TRUE(compatible);
  EXPECT_FALSE(compatible->safe_mode) << "answered in clear, as compatible mode allows";
  auto only_encrypted = read_post(account(), query, "<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>", kNow);
  EXPECT_EQ(refusal(only_encrypted), Refusal::Kind::bad_request);
}

TEST(Webhook, SafeModeChecksTheMessageSignatureDecryptsAndEncryptsTheReply) {
  const Account keyed = account(true);
  const std::string encrypted = keyed.cipher->encrypt(kBody, keyed.appid);
  const std::string envelope = "<xml><ToUserName><![CDATA[gh_account]]></ToUserName><Encrypt><![CDATA[" + encrypted +
                               "]]></Encrypt></xml>";
  SignedQuery query = signed_at(kNow);
  query.encrypt_type = "aes";
  query.msg_signature = sign_encrypted("tok", *query.timestamp, *query.nonce, "tampered");
  EXPECT_EQ(refusal(read_post(keyed, query, envelope, kNow)), Refusal::Kind::unauthorized);

  query.msg_signature = sign_encrypted("tok", *query.timestamp, *query.nonce, encrypted);
  auto verified = read_post(keyed, query, envelope, kNow);
  ASSERT_TRUE(verified) << verified.error().reason;
  EXPECT_TRUE(verified->safe_mode);
  EXPECT_EQ(verified->message.content, "hello");

  const std::string reply = passive_reply(keyed, *verified, "hi there", kNow);
  EXPECT_EQ(reply.find("hi there"), std::string::npos) << "the reply is encrypted";
  EXPECT_NE(reply.find("<Encrypt>"), std::string::npos) << reply;
  EXPECT_NE(reply.find("<MsgSignature>"), std::string::npos) << reply;
}

TEST(Webhook, ThePassiveReplyGoesBackToTheSender) {
  auto verified = read_post(account(), signed_at(kNow), kBody, kNow);
  ASSERT_TRUE(verified);
  const std::string reply = passive_reply(account(), *verified, "hi there", kNow);
  EXPECT_NE(reply.find("<ToUserName><![CDATA[stu1]]></ToUserName>"), std::string::npos) << reply;
  EXPECT_NE(reply.find("<FromUserName><![CDATA[gh_account]]></FromUserName>"), std::string::npos) << reply;
  EXPECT_NE(reply.find("hi there"), std::string::npos) << reply;
}

}  // namespace
}  // namespace permit::wechat
