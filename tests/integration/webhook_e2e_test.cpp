// The built permit-bot binary on a free port with a real redis-server,
// driven over HTTP the way the WeChat platform drives it.

#include "bot/inbound/conversation_store.hpp"
#include "bot/wechat/message_xml.hpp"
#include "bot/wechat/signature.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

std::string conversation(const RedisServer& redis, const std::string& openid, const std::string& field) {
  return redis.command({"HGET", "{u:" + openid + "}:conv", field});
}

// The scripts (EVALSHA) and functions (FCALL) Redis has run, as
// "EVALSHA calls/FCALL calls".
std::string lua_calls(const RedisServer& redis) {
  const std::string stats = redis.command({"INFO", "commandstats"});
  auto calls = [&stats](const std::string& command) -> std::string {
    const std::string field = "cmdstat_" + command + ":calls=";
    auto at = stats.find(field);
    if (at == std::string::npos) return "0";
    at += field.size();
    return stats.substr(at, stats.find(',', at) - at);
  };
  return calls("evalsha") + "/" + calls("fcall");
}

struct WebhookTest : ::testing::Test {
  RedisServer redis;
  BotProcess bot{redis.url()};
  WechatClient client{bot.port()};

  void TearDown() override {
    // (A test that ends with Redis killed leaves no keyspace to look at.)
    if (redis.running()) {
      EXPECT_TRUE(every_key_has_a_hash_tag(redis));
    }
    if (HasFailure()) std::cerr << "--- bot log ---\n" << bot.log();
  }
};

TEST_F(WebhookTest, HandshakeEchoesEchostrOnlyWhenSigned) {
  std::string query = client.signed_query(unix_now(), "42");
  auto ok = http_request(bot.port(), "GET", "/wechat?" + query + "&echostr=abc%2B123");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "abc+123");
  auto bad = http_request(bot.port(), "GET",
                          "/wechat?signature=0000000000000000000000000000000000000000&timestamp=1&nonce=2&echostr=x");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.body.find('x'), std::string::npos);
}

TEST_F(WebhookTest, TextMessageGetsPassiveReplyAndAdvancesState) {
  auto reply = client.send_text("stu_a", 1, "hello");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.content.find("Which university"), std::string::npos) << reply.content;
  // The reply goes back to the student, from the account.
  auto fields = wechat::parse_xml_fields(reply.body);
  ASSERT_TRUE(fields);
  EXPECT_EQ((*fields)["ToUserName"], "stu_a");
  EXPECT_EQ((*fields)["FromUserName"], "gh_test");
  EXPECT_EQ(conversation(redis, "stu_a", "v"), "1");
}

TEST_F(WebhookTest, RetriedMessageIsAnsweredIdenticallyAndCountedOnce) {
  auto first = client.send_text("stu_r", 777, "once");
  auto second = client.send_text("stu_r", 777, "once");
  auto third = client.send_text("stu_r", 777, "once");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(second.content, first.content);
  EXPECT_EQ(third.content, first.content);
  EXPECT_EQ(conversation(redis, "stu_r", "v"), "1");
  auto next = client.send_text("stu_r", 778, "twice");
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(messages_in_state(redis, "stu_r"), 2);
  auto metrics = http_request(bot.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("permit_dedupe_hits_total 2\n"), std::string::npos) << metrics.body;
}

TEST_F(WebhookTest, SafeModeDecryptsAndEncryptsTheReply) {
  WechatClient safe(bot.port(), WechatClient::Mode::safe);
  auto reply = safe.send_text("stu_s", 10, "加密 hello");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("<Encrypt>"), std::string::npos);
  EXPECT_EQ(reply.body.find("加密"), std::string::npos) << "the reply must not be in clear text";
  EXPECT_NE(reply.content.find("你在哪所大学"), std::string::npos) << reply.content;
}

TEST_F(WebhookTest, CompatibleModeIsHandledFromTheEncryptedCopy) {
  WechatClient compatible(bot.port(), WechatClient::Mode::compatible);
  auto reply = compatible.send_text("stu_c", 11, "both");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.content.find("Which university"), std::string::npos) << reply.content;
  EXPECT_EQ(messages_in_state(redis, "stu_c"), 1);
}

// Compatible mode carries the message in clear too; a bot with no AES key
// answers from that copy, in clear. Safe mode (only the encrypted copy)
// cannot be read without a key and is refused without touching Redis.
TEST(WebhookWithoutAesKey, CompatibleModeIsAnsweredFromTheClearCopySafeModeIsRefused) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--wechat-aes-key", ""});
  WechatClient compatible(bot.port(), WechatClient::Mode::compatible);
  auto reply = compatible.send_text("stu_nokey", 12, "both");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body.find("<Encrypt>"), std::string::npos) << reply.body;
  EXPECT_NE(reply.content.find("Which university"), std::string::npos) << reply.body;
  EXPECT_EQ(conversation(redis, "stu_nokey", "v"), "1");

  WechatClient safe(bot.port(), WechatClient::Mode::safe);
  auto refused = safe.send_text("stu_nokey_safe", 13, "hidden");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("no aes_key"), std::string::npos) << refused.body;
  EXPECT_EQ(redis.command({"EXISTS", "{u:stu_nokey_safe}:conv"}), "0");
}

TEST_F(WebhookTest, EventsAndOtherMessageTypes) {
  auto now = unix_now();
  auto welcome = client.send_event("stu_e", "subscribe", "qrscene_1", now);
  ASSERT_EQ(welcome.status, 200);
  EXPECT_NE(welcome.content.find("Welcome"), std::string::npos);
  // A menu click is handled like typed text.
  auto click = client.send_event("stu_e", "CLICK", "hust", now + 1);
  EXPECT_NE(click.content.find("University: HUST"), std::string::npos) << click.content;
  auto image = client.send_xml(
      "<xml><ToUserName>gh_test</ToUserName><FromUserName>stu_e</FromUserName><CreateTime>" + std::to_string(now) +
      "</CreateTime><MsgType>image</MsgType><PicUrl>http://x/y.jpg</PicUrl><MediaId>m</MediaId><MsgId>5</MsgId></xml>");
  EXPECT_NE(image.content.find("text"), std::string::npos);
  auto bye = client.send_event("stu_e", "unsubscribe", "", now + 2);
  EXPECT_EQ(bye.status, 200);
  EXPECT_EQ(bye.body, "success");
  std::string state = conversation(redis, "stu_e", "s");
  EXPECT_NE(state.find("\"subscribed\":false"), std::string::npos) << state;
  // Two events at the same second with different keys are different events.
  auto click_again = client.send_event("stu_e", "CLICK", "start", now + 1);
  EXPECT_NE(click_again.content.find("Tongji"), std::string::npos) << click_again.content;
  EXPECT_EQ(messages_in_state(redis, "stu_e"), 2);
}

TEST_F(WebhookTest, BadInputIsRefusedWithoutTouchingRedis) {
  client.send_text("stu_b", 1, "warm up");  // loads the script and the function
  const std::string calls_before = lua_calls(redis);
  const std::string keys_before = redis.command({"DBSIZE"});
  const std::string good_query = client.signed_query(unix_now(), "7");
  const std::string body = wechat::build_text_message("gh_test", "stu_b", unix_now(), "x", 99);

  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?signature=bad&timestamp=1&nonce=2", body).status, 401);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat", body).status, 401);
  auto stale = client.signed_query(unix_now() - 400, "8");
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + stale, body).status, 401);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, "<xml><unclosed>").status, 400);
  // A complete, valid message with a DTD in front: refused for the DTD alone.
  auto with_dtd = http_request(bot.port(), "POST", "/wechat?" + good_query,
                               "<!DOCTYPE xml [<!ENTITY a \"b\">]>" + body);
  EXPECT_EQ(with_dtd.status, 400);
  EXPECT_NE(with_dtd.body.find("DOCTYPE"), std::string::npos) << with_dtd.body;
  // A complete, valid message with text outside its root: refused too.
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, "garbage" + body).status, 400);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, body + "garbage").status, 400);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, "GARBAGE\r\n\r\n").status, 400);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query,
                         "<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>abc</CreateTime>"
                         "<MsgType>text</MsgType><Content>x</Content><MsgId>1</MsgId></xml>")
                .status,
            400);
  // Safe mode with a forged msg_signature.
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query + "&encrypt_type=aes&msg_signature=00",
                         "<xml><ToUserName>a</ToUserName><Encrypt>AAAA</Encrypt></xml>")
                .status,
            401);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, std::string(70 * 1024, 'a')).status, 413);
  EXPECT_EQ(http_request(bot.port(), "POST", "/wechat?" + good_query, body, 9000).status, 431);
  EXPECT_EQ(http_request(bot.port(), "GET", "/nowhere").status, 404);
  EXPECT_EQ(http_request(bot.port(), "DELETE", "/wechat").status, 405);

  EXPECT_EQ(lua_calls(redis), calls_before);
  EXPECT_EQ(redis.command({"DBSIZE"}), keys_before);
  // And the process is still serving.
  EXPECT_EQ(client.send_text("stu_b", 2, "still here").status, 200);
}

TEST_F(WebhookTest, RedisOutageAnswers503ThenServiceResumesWithoutRestart) {
  EXPECT_EQ(http_request(bot.port(), "GET", "/readyz").status, 200);
  ASSERT_EQ(client.send_text("stu_o", 1, "before").status, 200);
  redis.kill();
  // The first request may be the one that discovers the dead connection.
  client.send_text("stu_o", 2, "during");
  auto during = client.send_text("stu_o", 2, "during");
  EXPECT_EQ(during.status, 503);
  EXPECT_EQ(http_request(bot.port(), "GET", "/readyz").status, 503);
  EXPECT_EQ(http_request(bot.port(), "GET", "/healthz").status, 200);

  redis.start();  // no persistence in this test: the store is empty again
  auto restarted = std::chrono::steady_clock::now();
  int status = 0;
  while (std::chrono::steady_clock::now() - restarted < 1s) {
    status = http_request(bot.port(), "GET", "/readyz").status;
    if (status == 200) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200) << "service did not resume within a second";
  auto after = client.send_text("stu_o", 2, "during");
  EXPECT_EQ(after.status, 200);
  EXPECT_NE(after.content.find("Which university"), std::string::npos) << after.content;
  EXPECT_EQ(messages_in_state(redis, "stu_o"), 1);
}

TEST(WebhookOutage, AMessageWhileRedisIsDownIs503AtOnceLeavesNothingAndItsRetryCountsOnce) {
  // The store survives the kill, so whatever the refused message wrote
  // would still be there to see.
  RedisServer redis(RedisServer::Options{.durability = RedisServer::Durability::aof_always, .password = ""});
  constexpr auto kCommandTimeout = 2000ms;
  BotProcess bot(redis.url(), {"--config", temp_config(R"("timeouts_ms": {"redis_command": )" +
                                                       std::to_string(kCommandTimeout.count()) + "}")});
  WechatClient client(bot.port());
  ASSERT_EQ(client.send_text("stu_down", 1, "hello").status, 200);
  ASSERT_EQ(conversation(redis, "stu_down", "v"), "1");

  redis.kill();
  ASSERT_TRUE(eventually([&] { return http_request(bot.port(), "GET", "/readyz").status == 503; }, 5s))
      << "the bot never noticed the outage";
  // Refused without waiting for Redis: an answer that took a command
  // timeout would not come in half of one.
  const auto sent = std::chrono::steady_clock::now();
  auto refused = client.send_text("stu_down", 2, "cqupt");
  const auto took = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_LT(took, kCommandTimeout / 2) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";

  redis.start();
  ASSERT_TRUE(eventually([&] { return http_request(bot.port(), "GET", "/readyz").status == 200; }, 5s));
  // The refused message left nothing: no stored reply, nothing held, and
  // the student's version is where the last answered message put it.
  auto reply_kept = [&] {
    return redis.command({"HGETALL", core::conversation_key("stu_down")}).find("m:2") != std::string::npos;
  };
  auto left_nothing = [&] {
    EXPECT_FALSE(reply_kept());
    EXPECT_EQ(redis.command({"HEXISTS", core::inbox_key("stu_down"), "m:2"}), "0");
  };
  left_nothing();
  EXPECT_EQ(conversation(redis, "stu_down", "v"), "1");
  // Nor does it later: the student's next message is handled only once
  // this instance has finished with the earlier one (UserLanes), so by
  // then anything still working on it has written what it would.
  auto next = client.send_text("stu_down", 3, "hello again");
  ASSERT_EQ(next.status, 200);
  EXPECT_NE(next.content.find("Which university"), std::string::npos) << next.content;
  left_nothing();
  EXPECT_EQ(conversation(redis, "stu_down", "v"), "2");

  // The platform's retry is answered, and counted once however often it
  // comes.
  auto retry = client.send_text("stu_down", 2, "cqupt");
  ASSERT_EQ(retry.status, 200);
  EXPECT_NE(retry.content.find("University: CQUPT"), std::string::npos) << retry.content;
  EXPECT_EQ(client.send_text("stu_down", 2, "cqupt").content, retry.content);
  EXPECT_EQ(conversation(redis, "stu_down", "v"), "3");
  EXPECT_EQ(messages_in_state(redis, "stu_down"), 3);
  EXPECT_TRUE(reply_kept());
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
  if (::testing::Test::HasFailure()) std::cerr << "--- bot log ---\n" << bot.log();
}

TEST_F(WebhookTest, MetricsCountRequestsLatencyAndRedisErrors) {
  client.send_text("stu_m", 1, "hi");
  http_request(bot.port(), "POST", "/wechat", "");
  auto metrics = http_request(bot.port(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("permit_http_requests_total{route=\"/wechat\",status=\"200\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("permit_http_requests_total{route=\"/wechat\",status=\"401\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("permit_message_handling_seconds_count 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("permit_redis_connected 1"), std::string::npos);
  auto redis_errors = [&] {
    auto body = http_request(bot.port(), "GET", "/metrics").body;
    const std::string sample = "\npermit_redis_errors_total ";
    return std::stoull(body.substr(body.find(sample) + sample.size()));
  };
  auto before = redis_errors();
  redis.kill();
  client.send_text("stu_m", 2, "outage");
  client.send_text("stu_m", 2, "outage");
  EXPECT_GT(redis_errors(), before);
  EXPECT_NE(http_request(bot.port(), "GET", "/metrics").body.find("permit_redis_connected 0"), std::string::npos);
}

TEST_F(WebhookTest, SigtermExitsCleanly) {
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0);
  EXPECT_NE(bot.log().find("stopped"), std::string::npos);
}

TEST(BotConfig, BadSettingsPrintOneLineAndExitWithCode2) {
  const std::string config = std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--config", config, "--listen", "nonsense"},
           {"--config", config, "--redis", "http://localhost:6379"},
           {"--config", config, "--wechat-token", "x"},
           {"--config", config, "--wechat-aes-key", "short"},
           {"--config", "/nonexistent/permit-bot.json"},
           {"--config", config, "--bogus"},
           {"--config", config, "--listen"},
       }) {
    auto result = run_bot(args);
    EXPECT_EQ(result.exit_code, 2) << args.back();
    ASSERT_FALSE(result.stderr_text.empty());
    EXPECT_EQ(result.stderr_text.find('\n'), result.stderr_text.size() - 1)
        << "expected one line, got: " << result.stderr_text;
  }
}

TEST(BotConfig, ListenTakesAHostName) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--listen", "localhost:0"});
  EXPECT_EQ(http_request(bot.port(), "GET", "/healthz").status, 200);
}

TEST(BotConfig, EnvironmentOverridesFileAndFlagOverridesEnvironment) {
  RedisServer redis;
  const std::string config = std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json";
  setenv("PERMIT_BOT_WECHAT_TOKEN", "fromenv", 1);
  {
    BotProcess bot(redis.url());  // env token replaces the file's
    std::string ts = std::to_string(unix_now());
    auto query = "signature=" + wechat::sign("fromenv", ts, "1") + "&timestamp=" + ts + "&nonce=1&echostr=ok";
    EXPECT_EQ(http_request(bot.port(), "GET", "/wechat?" + query).status, 200);
  }
  {
    BotProcess bot(redis.url(), {"--wechat-token", "fromflag"});
    std::string ts = std::to_string(unix_now());
    auto env_query = "signature=" + wechat::sign("fromenv", ts, "1") + "&timestamp=" + ts + "&nonce=1&echostr=ok";
    auto flag_query = "signature=" + wechat::sign("fromflag", ts, "1") + "&timestamp=" + ts + "&nonce=1&echostr=ok";
    EXPECT_EQ(http_request(bot.port(), "GET", "/wechat?" + env_query).status, 401);
    EXPECT_EQ(http_request(bot.port(), "GET", "/wechat?" + flag_query).status, 200);
  }
  unsetenv("PERMIT_BOT_WECHAT_TOKEN");
}

}  // namespace
}  // namespace permit::testing
