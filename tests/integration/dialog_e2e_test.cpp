// The dialog engine behind the real webhook: answers in the passive reply,
// effects in Redis, and no start on an invalid script.

#include "bot/inbound/effect_outbox.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>

namespace permit::testing {
namespace {

class DialogE2E : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  RedisServer redis;
  BotProcess bot{redis.url()};
  WechatClient client{bot.port()};
  std::uint64_t next_id = 1;

  HttpReply say(const std::string& openid, const std::string& text) { return client.send_text(openid, next_id++, text); }
};

TEST_F(DialogE2E, UniversityNameThenQuestionIsAnsweredInThePassiveReply) {
  auto picked = say("stu_q", "Jiangsu Normal University");
  ASSERT_EQ(picked.status, 200);
  EXPECT_NE(picked.content.find("JSNU"), std::string::npos) << picked.content;
  auto answer = say("stu_q", "How early do I have to apply for the residence permit extension?");
  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.content.find("one month"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("Source: JSNU regulation, Article 9"), std::string::npos) << answer.content;
}

TEST_F(DialogE2E, AVoiceMessageIsAnsweredFromThePlatformsRecognitionAndWithoutItAsksForText) {
  say("stu_voice", "CQUPT");
  auto heard = client.send_voice("stu_voice", next_id++, std::string("where do I submit my documents"));
  ASSERT_EQ(heard.status, 200);
  EXPECT_NE(heard.content.find("heard as: \"where do I submit my documents\""), std::string::npos) << heard.content;
  EXPECT_NE(heard.content.find("555, Huanglong Road"), std::string::npos) << heard.content;
  auto unheard = client.send_voice("stu_voice", next_id++, std::nullopt);
  ASSERT_EQ(unheard.status, 200);
  EXPECT_NE(unheard.content.find("Please type your question"), std::string::npos) << unheard.content;
  // The stand-in's command line sends both kinds too.
  const std::string config = std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json";
  ChildProcess cli({WECHAT_SIM_BINARY, "send", "--config", config, "--bot", "127.0.0.1:" + std::to_string(bot.port()),
                    "--openid", "stu_voice", "--voice", "how much is the fee"},
                   true);
  std::string printed;
  for (int i = 0; i < 12; ++i) printed += cli.read_line(10000) + "\n";  // the reply has blank lines; "" at the end
  EXPECT_NE(printed.find("heard as"), std::string::npos) << printed;
  EXPECT_NE(printed.find("400 RMB"), std::string::npos) << printed;
  EXPECT_EQ(cli.wait(), 0);
  ChildProcess unrecognised({WECHAT_SIM_BINARY, "send", "--config", config, "--bot",
                             "127.0.0.1:" + std::to_string(bot.port()), "--openid", "stu_voice", "--voice-unrecognised"},
                            true);
  EXPECT_NE(unrecognised.read_line(10000).find("could not make out"), std::string::npos);
  EXPECT_EQ(unrecognised.wait(), 0);
}

TEST_F(DialogE2E, ChineseInSafeModeIsAnsweredInChineseEncrypted) {
  WechatClient safe(bot.port(), WechatClient::Mode::safe);
  ASSERT_EQ(safe.send_text("stu_zh", 1, "重庆邮电大学").status, 200);
  auto answer = safe.send_text("stu_zh", 2, "居留许可费用是多少？");
  ASSERT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("<Encrypt>"), std::string::npos);
  EXPECT_NE(answer.content.find("400元"), std::string::npos) << answer.content;
  EXPECT_NE(answer.content.find("来源："), std::string::npos) << answer.content;
}

TEST_F(DialogE2E, EffectsReachRedisAndDeleteMyDataErasesThem) {
  say("stu_fx", "CQUPT");
  // (CQUPT's page names no dormitory; NENU's does.)
  auto unanswered = say("stu_fx", "Can I bring my cat to the dormitory? passport E12345678");
  EXPECT_NE(unanswered.content.find("does not mention"), std::string::npos) << unanswered.content;
  std::string stream = redis.command({"XRANGE", core::EffectOutbox::kUnanswered, "-", "+"});
  EXPECT_NE(stream.find("cqupt"), std::string::npos) << stream;
  EXPECT_NE(stream.find("bring my cat"), std::string::npos) << stream;
  EXPECT_EQ(stream.find("12345678"), std::string::npos) << "a passport number reached Redis: " << stream;
  EXPECT_EQ(stream.find("stu_fx"), std::string::npos) << "admins see the question, not who asked";

  auto deadline = say("stu_fx", "2027-03-01");
  EXPECT_NE(deadline.content.find("2027-01-30"), std::string::npos) << deadline.content;
  std::string reminder = redis.command({"HGET", core::EffectOutbox::kReminderStudents, "stu_fx"});
  EXPECT_NE(reminder.find("\"deadline\":\"2027-01-30\""), std::string::npos) << reminder;
  // The last reminder: the day before the deadline, due from 00:00 UTC
  // (2027-01-29 is day 20847 since 1970-01-01).
  const std::string last = core::EffectOutbox::reminder_member("2027-01-29", "expiry-1", "stu_fx");
  EXPECT_EQ(last, "2027-01-29|expiry-1|stu_fx");
  EXPECT_EQ(redis.command({"ZSCORE", core::EffectOutbox::kDue, last}), "1801180800");
  EXPECT_NE(redis.command({"HGET", core::EffectOutbox::kReminderTexts, last}).find("2027-01-30"), std::string::npos);
  EXPECT_EQ(redis.command({"LLEN", "{u:stu_fx}:outbox"}), "0") << "the outbox is drained after the commit";
  // Checked before the erasure below removes the reminders.
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));

  say("stu_fx", "delete my data");
  auto erased = say("stu_fx", "yes");
  EXPECT_NE(erased.content.find("erased"), std::string::npos) << erased.content;
  EXPECT_EQ(redis.command({"HGET", core::EffectOutbox::kReminderStudents, "stu_fx"}), "(nil)");
  EXPECT_EQ(redis.command({"ZSCORE", core::EffectOutbox::kDue, "2027-01-29|stu_fx"}), "(nil)");
  EXPECT_EQ(redis.command({"SCARD", "{reminders}:of:stu_fx"}), "0");
  std::string state = redis.command({"HGET", "{u:stu_fx}:conv", "s"});
  EXPECT_EQ(state.find("cqupt"), std::string::npos) << state;
  EXPECT_EQ(state.find("2027"), std::string::npos) << state;
  EXPECT_NE(say("stu_fx", "hello").content.find("Which university"), std::string::npos);
}

TEST(DialogProgress, SurvivesARestartOfTheBot) {
  RedisServer redis;
  {
    BotProcess bot(redis.url());
    WechatClient client(bot.port());
    client.send_text("stu_long", 1, "CQUPT");
    client.send_text("stu_long", 2, "start");
    client.send_text("stu_long", 3, "next");
    EXPECT_NE(client.send_text("stu_long", 4, "done 1").content.find("Ticked 1."), std::string::npos);
    bot.signal(SIGTERM);
    EXPECT_EQ(bot.wait(), 0);
  }
  BotProcess again(redis.url());
  WechatClient client(again.port());
  auto progress = client.send_text("stu_long", 5, "progress");
  EXPECT_NE(progress.content.find("step 2 of 5"), std::string::npos) << progress.content;
  EXPECT_NE(progress.content.find("(1/2)"), std::string::npos) << progress.content;
  // Kept for the retention period, not forever.
  auto ttl = std::stol(redis.command({"TTL", "{u:stu_long}:conv"}));
  EXPECT_GT(ttl, 179L * 24 * 3600);
  EXPECT_LE(ttl, 180L * 24 * 3600);
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

TEST(DialogScripts, AnInvalidScriptStopsTheBotWithItsFilePointerAndReason) {
  namespace fs = std::filesystem;
  const fs::path source = fs::path(PERMIT_SOURCE_DIR) / "dialogs" / "scripts";
  const fs::path broken = fs::temp_directory_path() / ("permit-scripts-" + std::to_string(getpid()));
  fs::remove_all(broken);
  fs::copy(source, broken);
  {
    std::ofstream out(broken / "cqupt.json", std::ios::trunc);
    out << R"({"format": "permit-bot/university/1", "id": "cqupt"})";
  }
  const std::string config = std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json";
  auto result = run_bot({"--config", config, "--scripts", broken.string()});
  fs::remove_all(broken);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("invalid script: cqupt.json: /: missing \"name\""), std::string::npos)
      << result.stderr_text;
}

}  // namespace
}  // namespace permit::testing
