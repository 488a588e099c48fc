// Late replies leave through the platform's API (wechat-sim serve), with a
// shared access token, the 48-hour window and the template fallback.

#include "bot/inbound/late_reply_queue.hpp"
#include "bot/inbound/effect_outbox.hpp"
#include "bot/outbound/reminder_job.hpp"
#include "bot/outbound/stream_sender.hpp"
#include "bot/outbound/wechat_api.hpp"
#include "bot/util/digest.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <csignal>
#include <cstdio>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

class OutboundTest : public ::testing::Test {
 protected:
  // `members`: more config, in the one config file (a second --config would
  // replace this one).
  std::vector<std::string> bot_args(std::vector<std::string> extra = {}, const std::string& members = "") {
    const std::string config = R"("timeouts_ms": {"reply_budget": 100})" + (members.empty() ? "" : ", " + members);
    std::vector<std::string> args{"--config", temp_config(config),
                                  "--wechat-secret", SimProcess::kSecret, "--wechat-api-base", sim.base_url()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  // Sends a message while Redis is frozen past the budget: the webhook
  // answers "success" and the reply must leave through the API.
  void send_late(WechatClient& client, const std::string& openid, std::uint64_t id, const std::string& text) {
    auto stall = redis.stall(0.4);
    auto reply = client.send_text(openid, id, text);
    stall.join();
    ASSERT_EQ(reply.status, 200);
    ASSERT_EQ(reply.body, "success");
  }

  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  RedisServer redis;
  SimProcess sim;
};

TEST_F(OutboundTest, LateReplyIsDeliveredOnceThroughTheCustomerServiceApi) {
  BotProcess bot(redis.url(), bot_args());
  WechatClient client(bot.port());
  sim.interaction("stu_late");
  ASSERT_EQ(client.send_text("stu_late", 1, "hello").status, 200);
  send_late(client, "stu_late", 2, "cqupt");
  EXPECT_TRUE(eventually([&] { return sim.count("stu_late", "custom", "University: CQUPT") == 1; })) << sim.messages();
  // The platform retries the message: answered from the stored reply, and
  // not sent again.
  auto retry = client.send_text("stu_late", 2, "cqupt");
  EXPECT_NE(retry.content.find("University: CQUPT"), std::string::npos) << retry.status << " " << retry.body;
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", core::LateReplyQueue::kStream}) == "0"; }));
  EXPECT_EQ(sim.count("stu_late", "custom"), 1) << sim.messages();
  EXPECT_EQ(redis.command({"EXISTS", outbound::StreamSender::marker_key(core::LateReplyQueue::kStream, "m:2")}), "1");
}

TEST_F(OutboundTest, OneTokenIsSharedAndRefreshedOnceWhenInvalidated) {
  BotProcess a(redis.url(), bot_args()), b(redis.url(), bot_args());
  WechatClient to_a(a.port()), to_b(b.port());
  for (const char* s : {"stu_t1", "stu_t2", "stu_t3"}) sim.interaction(s);
  send_late(to_a, "stu_t1", 11, "jsnu");
  ASSERT_TRUE(eventually([&] { return sim.count("stu_t1", "custom") == 1; })) << sim.messages();
  const std::string first_token = redis.command({"GET", outbound::WechatApi::kTokenKey});
  EXPECT_NE(first_token.find("simtoken-"), std::string::npos) << first_token;
  // Someone fetches a new token behind the bot's back: the next send gets
  // 40001, refreshes, and still goes out once.
  sim.invalidate_token();
  send_late(to_b, "stu_t2", 12, "hust");
  send_late(to_a, "stu_t3", 13, "nenu");
  EXPECT_TRUE(eventually([&] {
    return sim.count("stu_t2", "custom") == 1 && sim.count("stu_t3", "custom") == 1;
  })) << sim.messages();
  EXPECT_NE(redis.command({"GET", outbound::WechatApi::kTokenKey}), first_token);
  EXPECT_EQ(sim.count("stu_t1", "custom"), 1);
}

TEST_F(OutboundTest, TheRetryAfterATokenErrorWaitsForItsTurnAtTheRateLimit) {
  // 2 sends a second: a slot every 526 ms (the limiter runs at 95 %).
  BotProcess bot(redis.url(), bot_args({}, R"("outbound_rate_per_second": 2)"));
  WechatClient client(bot.port());
  sim.interaction("stu_r1");
  send_late(client, "stu_r1", 41, "jsnu");
  ASSERT_TRUE(eventually([&] { return sim.count("stu_r1", "custom") == 1; })) << sim.messages();
  // The cached token is refused (40001) and the send retried with a new one:
  // the platform counts both calls, so the retry waits for a slot of its own.
  sim.invalidate_token();
  send_late(client, "stu_r1", 42, "hust");
  ASSERT_TRUE(eventually([&] { return sim.count("stu_r1", "custom") == 2; })) << sim.messages();
  rapidjson::Document calls;
  const std::string body = sim.calls();
  calls.Parse(body.c_str());
  ASSERT_TRUE(calls.IsArray() && calls.Size() == 3) << body;
  EXPECT_EQ(calls[1]["errcode"].GetInt(), 40001) << body;
  EXPECT_EQ(calls[2]["errcode"].GetInt(), 0) << body;
  const auto gap_ms = calls[2]["at_ms"].GetInt64() - calls[1]["at_ms"].GetInt64();
  EXPECT_GE(gap_ms, 400) << body;
}

TEST_F(OutboundTest, OutsideTheWindowTheTemplateIsSentOrTheSkipIsRecorded) {
  {
    BotProcess bot(redis.url(), bot_args({"--wechat-template-id", "tpl_notice"}));
    WechatClient client(bot.port());
    // No interaction recorded with the platform: outside the 48-hour window.
    send_late(client, "stu_w1", 21, "cpu");
    EXPECT_TRUE(eventually([&] { return sim.count("stu_w1", "template", "University: CPU") == 1; })) << sim.messages();
    EXPECT_EQ(sim.count("stu_w1", "custom"), 0);
  }
  BotProcess bot(redis.url(), bot_args());
  WechatClient client(bot.port());
  send_late(client, "stu_w2", 22, "cpu");
  EXPECT_TRUE(eventually([&] {
    return redis.command({"XRANGE", outbound::StreamSender::kSkipped, "-", "+"}).find("stu_w2") != std::string::npos;
  }));
  EXPECT_NE(redis.command({"XRANGE", outbound::StreamSender::kSkipped, "-", "+"}).find("45015"), std::string::npos);
  EXPECT_EQ(sim.count("stu_w2", "custom") + sim.count("stu_w2", "template"), 0) << sim.messages();
}

TEST_F(OutboundTest, ATemplateSendInterruptedAfterThePlatformTookItIsNotDeliveredAgain) {
  // An instance took two late replies, sent the first as a template
  // message (the platform accepted it) and was killed before it could mark
  // it sent: both are pending for a consumer that will never come back.
  const std::string stream = core::LateReplyQueue::kStream;
  redis.command({"XGROUP", "CREATE", stream, "senders", "0", "MKSTREAM"});
  redis.command({"XADD", stream, "*", "openid", "stu_k1", "dedupe", "m:77", "content", "Your answer"});
  redis.command({"XADD", stream, "*", "openid", "stu_k2", "dedupe", "m:78", "content", "Your other answer"});
  redis.command({"XREADGROUP", "GROUP", "senders", "dead-instance", "COUNT", "2", "STREAMS", stream, ">"});
  ASSERT_EQ(sim.send_template("stu_k1", "tpl_notice", "Your answer", util::sha1_hex("m:77")), 0);
  ASSERT_EQ(sim.count("stu_k1", "template"), 1);

  // Another instance reclaims both after claim_idle_ms and sends them with
  // the same keys: the platform sends the second, and answers the first
  // with success without sending it again.
  BotProcess bot(redis.url(),
                 {"--config", temp_config(R"("outbound": {"claim_idle_ms": 500})"), "--wechat-secret",
                  SimProcess::kSecret, "--wechat-api-base", sim.base_url(), "--wechat-template-id", "tpl_notice"});
  EXPECT_TRUE(eventually([&] { return sim.count("stu_k2", "template", "Your other answer") == 1; })) << sim.messages();
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", stream}) == "0"; }));
  EXPECT_EQ(redis.command({"EXISTS", outbound::StreamSender::marker_key(stream, "m:77")}), "1");
  EXPECT_EQ(redis.command({"GET", outbound::StreamSender::marker_key(stream, "m:78")}), "template");
  EXPECT_EQ(sim.count("stu_k1", "template"), 1) << sim.messages();
  EXPECT_NE(sim.messages().find("\"client_msg_id\":\"" + util::sha1_hex("m:78") + "\""), std::string::npos)
      << sim.messages();
}

// An instance marked a customer-service message in flight and could not
// record its outcome (Redis was failing over; here it is simply gone): that
// message may have reached the student, so the instance that reclaims the
// entry leaves it alone until the mark lapses. The platform has no key to
// deduplicate such a message by: the mark is all that stops a second send
// while its sender may still be finishing.
TEST_F(OutboundTest, AMessageAnotherInstanceMarkedInFlightWaitsUntilTheMarkLapses) {
  const std::string stream = core::LateReplyQueue::kStream;
  sim.interaction("stu_f1");
  redis.command({"XGROUP", "CREATE", stream, "senders", "0", "MKSTREAM"});
  redis.command({"XADD", stream, "*", "openid", "stu_f1", "dedupe", "m:90", "content", "Your answer"});
  redis.command({"XREADGROUP", "GROUP", "senders", "other-instance", "COUNT", "1", "STREAMS", stream, ">"});
  const auto marked = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  constexpr int kMarkMs = 4000;
  const std::string mark = outbound::StreamSender::in_flight_key(stream, "m:90");
  ASSERT_EQ(redis.command({"SET", mark, "other-instance", "PX", std::to_string(kMarkMs)}), "OK");

  // claim_idle 500 ms: the entry is reclaimed long before the mark lapses.
  BotProcess bot(redis.url(), bot_args({}, R"("outbound": {"claim_idle_ms": 500})"));
  ASSERT_TRUE(eventually([&] { return sim.count("stu_f1", "custom", "Your answer") == 1; }, 20s)) << sim.messages();
  rapidjson::Document sent;
  const std::string body = sim.messages();
  sent.Parse(body.c_str());
  ASSERT_TRUE(sent.IsArray() && sent.Size() == 1) << body;
  EXPECT_GE(sent[0]["at_ms"].GetInt64(), marked + kMarkMs) << "sent while another instance's mark stood";
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", stream}) == "0"; }));
  EXPECT_EQ(redis.command({"GET", outbound::StreamSender::marker_key(stream, "m:90")}), "custom");
  EXPECT_EQ(redis.command({"EXISTS", mark}), "0") << "the mark outlived the entry";
  EXPECT_EQ(sim.count("stu_f1", "custom"), 1);
}

// A dead instance's entries are taken back in one pass of XAUTOCLAIM's
// scan, not one per pause: at 20 sends a second a sender holds one entry at
// a time, and once took back one entry per claim_idle / 3 (a hundred
// entries after a failover took minutes).
TEST_F(OutboundTest, ADeadInstancesEntriesAreTakenBackInOnePassNotOnePerPause) {
  const std::string stream = core::LateReplyQueue::kStream;
  constexpr int kEntries = 12;
  redis.command({"XGROUP", "CREATE", stream, "senders", "0", "MKSTREAM"});
  for (int i = 0; i < kEntries; ++i) {
    const std::string openid = "stu_d" + std::to_string(i);
    sim.interaction(openid);
    redis.command({"XADD", stream, "*", "openid", openid, "dedupe", "m:" + std::to_string(500 + i), "content", "hi"});
  }
  redis.command({"XREADGROUP", "GROUP", "senders", "dead-instance", "COUNT", std::to_string(kEntries), "STREAMS",
                 stream, ">"});
  constexpr int kClaimIdleMs = 3000;
  BotProcess bot(redis.url(), bot_args({}, R"("outbound_rate_per_second": 20, "outbound": {"claim_idle_ms": )" +
                                               std::to_string(kClaimIdleMs) + "}"));
  ASSERT_TRUE(eventually([&] { return redis.command({"XLEN", stream}) == "0"; }, 60s)) << sim.messages();
  rapidjson::Document sent;
  const std::string body = sim.messages();
  sent.Parse(body.c_str());
  ASSERT_TRUE(sent.IsArray() && sent.Size() == kEntries) << body;
  std::int64_t first = INT64_MAX, last = 0;
  for (const auto& m : sent.GetArray()) {
    first = std::min(first, m["at_ms"].GetInt64());
    last = std::max(last, m["at_ms"].GetInt64());
  }
  // One pass at the rate: about 0.6 s. One entry per pause would be 11 s.
  EXPECT_LT(last - first, kClaimIdleMs) << body;
}

TEST_F(OutboundTest, OneStudentsMessagesGoOutInTheirOrderWhileOthersGoAlongside) {
  // Queued before any sender runs: three replies to one student among
  // single replies to twenty others, read eight at a time (rate 500/s).
  const std::string stream = core::LateReplyQueue::kStream;
  sim.interaction("stu_o");
  for (int i = 0; i < 20; ++i) {
    const std::string other = "stu_x" + std::to_string(i);
    sim.interaction(other);
    if (i % 7 == 0) {
      const std::string n = std::to_string(i / 7 + 1);
      redis.command({"XADD", stream, "*", "openid", "stu_o", "dedupe", "m:o" + n, "content", "part " + n});
    }
    redis.command({"XADD", stream, "*", "openid", other, "dedupe", "m:x" + std::to_string(i), "content", "hi"});
  }
  BotProcess bot(redis.url(), bot_args({}, R"("outbound_rate_per_second": 500)"));
  ASSERT_TRUE(eventually([&] { return redis.command({"XLEN", stream}) == "0"; })) << sim.messages();
  const std::string all = sim.messages();
  const auto p1 = all.find("part 1"), p2 = all.find("part 2"), p3 = all.find("part 3");
  ASSERT_NE(p3, std::string::npos) << all;
  EXPECT_LT(p1, p2);
  EXPECT_LT(p2, p3);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(sim.count("stu_x" + std::to_string(i), "custom"), 1);
}

TEST_F(OutboundTest, AReplyLeftPendingAfterAFailureHoldsBackThatStudentsLaterReplies) {
  // The platform answers the first send to stu_h with "system busy" once:
  // that reply stays pending for a retry, and the two after it must wait
  // for it rather than overtake it. At 20/s the sender holds one entry at a
  // time, so they are read after it: only the held key holds them back.
  const std::string stream = core::LateReplyQueue::kStream;
  sim.interaction("stu_h");
  sim.interaction("stu_y");
  sim.fail("stu_h", -1, 1);
  for (const char* n : {"1", "2", "3"})
    redis.command({"XADD", stream, "*", "openid", "stu_h", "dedupe", std::string("m:h") + n, "content",
                   std::string("piece ") + n});
  redis.command({"XADD", stream, "*", "openid", "stu_y", "dedupe", "m:y", "content", "hi"});
  BotProcess bot(redis.url(), bot_args({}, R"("outbound_rate_per_second": 20, "outbound": {"claim_idle_ms": 500})"));
  ASSERT_TRUE(eventually([&] { return redis.command({"XLEN", stream}) == "0"; })) << sim.messages();
  const std::string all = sim.messages();
  const auto p1 = all.find("piece 1"), p2 = all.find("piece 2"), p3 = all.find("piece 3");
  ASSERT_NE(p1, std::string::npos) << all;
  ASSERT_NE(p2, std::string::npos) << all;
  ASSERT_NE(p3, std::string::npos) << all;
  EXPECT_LT(p1, p2) << all;
  EXPECT_LT(p2, p3) << all;
  EXPECT_EQ(sim.count("stu_h", "custom"), 3) << all;
  EXPECT_EQ(sim.count("stu_y", "custom", "hi"), 1) << all;
}

TEST_F(OutboundTest, TheJsonPushVariantIsAnsweredThroughTheCustomerServiceApi) {
  BotProcess bot(redis.url(), bot_args());
  WechatClient client(bot.port());
  sim.interaction("stu_json");
  const std::string query = client.signed_query(unix_now(), "n1");
  const std::string body = R"({"ToUserName":"gh_test","FromUserName":"stu_json","CreateTime":)" +
                           std::to_string(unix_now()) + R"(,"MsgType":"text","Content":"JSNU","MsgId":777})";
  auto reply = http_request(bot.port(), "POST", "/wechat?" + query, body);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "success");
  EXPECT_TRUE(eventually([&] { return sim.count("stu_json", "custom", "University: JSNU") == 1; })) << sim.messages();
  // A retry is not answered twice.
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + query, body).body, "success");
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", core::LateReplyQueue::kStream}) == "0"; }));
  EXPECT_EQ(sim.count("stu_json", "custom"), 1) << sim.messages();
  // Malformed or nested JSON is refused and touches nothing.
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + query, "{\"ToUserName\":").status, 400);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + query, R"({"ToUserName":{"a":1}})").status, 400);
}

TEST_F(OutboundTest, AReminderDueWhileEveryInstanceWasDownIsSentOnceOnReturn) {
  // Today's date, in the form the bot reads, and an expiry 31 days on: at
  // CQUPT the deadline is then tomorrow, and the reminder "1 day before"
  // is due today.
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day expiry{today + std::chrono::days(31)};
  char date[16];
  std::snprintf(date, sizeof(date), "%04d-%02u-%02u", static_cast<int>(expiry.year()),
                static_cast<unsigned>(expiry.month()), static_cast<unsigned>(expiry.day()));
  {
    // No outbound side on this one: the reminder is scheduled, nobody sends.
    BotProcess bot(redis.url());
    WechatClient client(bot.port());
    client.send_text("stu_rem", 1, "CQUPT");
    auto reply = client.send_text("stu_rem", 2, date);
    EXPECT_NE(reply.content.find("remind"), std::string::npos) << reply.content;
    bot.signal(SIGKILL);
    bot.wait();
  }
  EXPECT_EQ(redis.command({"ZCARD", core::EffectOutbox::kDue}), "1");
  sim.interaction("stu_rem");
  {
    BotProcess bot(redis.url(), bot_args());
    EXPECT_TRUE(eventually([&] { return sim.count("stu_rem", "custom", "days left: 1)") == 1; })) << sim.messages();
    EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", outbound::ReminderJob::kOutbox}) == "0"; }));
  }
  // Back again: nothing is due any more, nothing is sent twice.
  BotProcess again(redis.url(), bot_args());
  // A probe reminder, due long ago: once it has gone out, this instance has
  // claimed and sent everything due, and a duplicate would have shown.
  sim.interaction("stu_probe");
  redis.command({"HSET", core::EffectOutbox::kReminderTexts, "2000-01-01|stu_probe", "probe"});
  redis.command({"ZADD", core::EffectOutbox::kDue, "946684800", "2000-01-01|stu_probe"});
  EXPECT_TRUE(eventually([&] { return sim.count("stu_probe", "custom", "probe") == 1; })) << sim.messages();
  EXPECT_EQ(sim.count("stu_rem", "custom"), 1) << sim.messages();
  EXPECT_EQ(redis.command({"ZCARD", core::EffectOutbox::kDue}), "0");
}

TEST_F(OutboundTest, ACorrectedDateWhoseReminderFallsOnTheDayOfOneAlreadySentIsStillSent) {
  // At CQUPT the deadline is 30 days before the expiry. An expiry 31 days
  // on puts "1 day before" on today; corrected to 37 days on, "7 days
  // before" falls on today too: another reminder, on the same day.
  const auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  auto in_days = [&](int days) {
    const std::chrono::year_month_day d{today + std::chrono::days(days)};
    char text[16];
    std::snprintf(text, sizeof(text), "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return std::string(text);
  };
  BotProcess bot(redis.url(), bot_args());
  WechatClient client(bot.port());
  sim.interaction("stu_fix");
  client.send_text("stu_fix", 1, "CQUPT");
  client.send_text("stu_fix", 2, "my permit expires " + in_days(31));
  EXPECT_TRUE(eventually([&] { return sim.count("stu_fix", "custom", "days left: 1)") == 1; })) << sim.messages();
  auto corrected = client.send_text("stu_fix", 3, "sorry, it expires " + in_days(37));
  EXPECT_NE(corrected.content.find(in_days(7)), std::string::npos) << corrected.content;
  EXPECT_TRUE(eventually([&] { return sim.count("stu_fix", "custom", "days left: 7)") == 1; })) << sim.messages();
  EXPECT_EQ(sim.count("stu_fix", "custom", "days left: 1)"), 1) << sim.messages();
}

}  // namespace
}  // namespace permit::testing
