// The staff API on the admin listener: auth, validation, broadcasts sent
// once each in the student's language, cancel, and the unanswered list.

#include "bot/staff/broadcasts.hpp"
#include "bot/outbound/stream_sender.hpp"
#include "bot/util/digest.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

const std::string kStaffToken = "staff-token-123";
const std::string kAdminToken = "admin-token-456";

std::string token_config() {
  return temp_config(R"("api_tokens": [{"name": "stella", "role": "staff", "sha256": ")" + util::sha256_hex(kStaffToken) +
                     R"("}, {"name": "ada", "role": "admin", "sha256": ")" + util::sha256_hex(kAdminToken) +
                     R"("}], "outbound_rate_per_second": 200)");
}

class StaffApiTest : public ::testing::Test {
 protected:
  StaffApiTest()
      : bot(redis.url(), {"--config", token_config(), "--wechat-secret", SimProcess::kSecret, "--wechat-api-base",
                          sim.base_url()}),
        client(bot.port()) {}

  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  // An HTTP request to the admin listener with a bearer token.
  HttpReply api(const std::string& method, const std::string& target, const std::string& token,
                const std::string& body = "") {
    return http_request(bot.admin_port(), method, target, body, 0, token);
  }

  RedisServer redis;
  SimProcess sim;
  BotProcess bot;
  WechatClient client;
};

TEST_F(StaffApiTest, BadTokenWrongRoleOrBadBodyGetTheirErrorAndQueueNothing) {
  const std::string good = R"({"audience": {"all": true}, "text": {"en": "Hi", "zh": "你好"}})";
  EXPECT_EQ(api("POST", "/api/v1/broadcasts", "", good).status, 401);
  EXPECT_EQ(api("POST", "/api/v1/broadcasts", "wrong-token", good).status, 401);
  EXPECT_EQ(api("GET", "/api/v1/unanswered", kStaffToken).status, 403);
  EXPECT_EQ(api("GET", "/api/v1/unanswered", kAdminToken).status, 200);
  struct Bad {
    std::string body, field;
  };
  for (const Bad& bad : std::vector<Bad>{
           {"not json", "/"},
           {R"({"text": {"en": "a", "zh": "b"}})", "/audience"},
           {R"({"audience": {"lang": "fr"}, "text": {"en": "a", "zh": "b"}})", "/audience/lang"},
           {R"({"audience": {"university": "mit"}, "text": {"en": "a", "zh": "b"}})", "/audience/university"},
           {R"({"audience": {"expiry_from": "2027-02-30"}, "text": {"en": "a", "zh": "b"}})", "/audience/expiry_from"},
           {R"({"audience": {"all": true}, "text": {"en": "a"}})", "/text/zh"},
           {R"({"audience": {"all": true}, "text": {"en": "a", "zh": "b"}, "send_at": "soon"})", "/send_at"},
       }) {
    auto reply = api("POST", "/api/v1/broadcasts", kStaffToken, bad.body);
    EXPECT_EQ(reply.status, 400) << bad.body;
    EXPECT_NE(reply.body.find("\"field\":\"" + bad.field + "\""), std::string::npos) << bad.body << " -> " << reply.body;
  }
  EXPECT_EQ(redis.command({"EXISTS", "{broadcast}:seq"}), "0");
  EXPECT_EQ(redis.command({"XLEN", core::Broadcasts::kQueue}), "0");
}

TEST_F(StaffApiTest, ABroadcastReachesExactlyItsAudienceOnceInEachStudentsLanguage) {
  // 12 JSNU students (half writing Chinese) and 5 at CQUPT.
  std::uint64_t id = 1;
  for (int i = 0; i < 12; ++i) {
    const std::string openid = "stu_j" + std::to_string(i);
    sim.interaction(openid);
    ASSERT_EQ(client.send_text(openid, id++, i % 2 ? "江苏师范大学" : "JSNU").status, 200);
  }
  for (int i = 0; i < 5; ++i) {
    const std::string openid = "stu_c" + std::to_string(i);
    sim.interaction(openid);
    ASSERT_EQ(client.send_text(openid, id++, "CQUPT").status, 200);
  }
  const std::string body =
      R"({"audience": {"university": "jsnu"}, "text": {"en": "Apply by Friday", "zh": "请在周五前申请"}})";
  auto dry = api("POST", "/api/v1/broadcasts?dry_run=1", kStaffToken, body);
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_NE(dry.body.find("\"audience\":12"), std::string::npos) << dry.body;
  EXPECT_EQ(redis.command({"XLEN", core::Broadcasts::kQueue}), "0") << "a dry run queues nothing";

  auto created = api("POST", "/api/v1/broadcasts", kStaffToken, body);
  ASSERT_EQ(created.status, 202) << created.body;
  EXPECT_NE(created.body.find("\"audience\":12"), std::string::npos) << created.body;
  EXPECT_TRUE(eventually([&] { return api("GET", "/api/v1/broadcasts/1", kStaffToken).body.find("\"sent\":\"12\"") !=
                                      std::string::npos; }))
      << api("GET", "/api/v1/broadcasts/1", kStaffToken).body << "\npending: "
      << redis.command({"XPENDING", core::Broadcasts::kQueue, "senders"}) << "\nqueue: "
      << redis.command({"XLEN", core::Broadcasts::kQueue}) << "\nfailures: "
      << redis.command({"HGETALL", outbound::StreamSender::failures_key(core::Broadcasts::kQueue)}) << "\nsim: " << sim.messages();
  for (int i = 0; i < 12; ++i) {
    const std::string openid = "stu_j" + std::to_string(i);
    EXPECT_EQ(sim.count(openid, "custom", i % 2 ? "请在周五前申请" : "Apply by Friday"), 1) << openid;
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(sim.count("stu_c" + std::to_string(i), "custom"), 0);
  auto status = api("GET", "/api/v1/broadcasts/1", kAdminToken).body;
  EXPECT_NE(status.find("\"author\":\"stella\""), std::string::npos) << status;
  EXPECT_NE(status.find("\"queued\":\"12\""), std::string::npos) << status;
  EXPECT_EQ(api("GET", "/api/v1/broadcasts/99", kStaffToken).status, 404);
}

TEST_F(StaffApiTest, ACancelledScheduledBroadcastSendsNothing) {
  sim.interaction("stu_x");
  client.send_text("stu_x", 1, "NENU");
  const auto later = std::chrono::duration_cast<std::chrono::seconds>(
                         (std::chrono::system_clock::now() + std::chrono::hours(1)).time_since_epoch())
                         .count();
  auto created = api("POST", "/api/v1/broadcasts", kStaffToken,
                     R"({"audience": {"all": true}, "text": {"en": "Later", "zh": "稍后"}, "send_at": )" +
                         std::to_string(later) + "}");
  ASSERT_EQ(created.status, 202) << created.body;
  EXPECT_NE(created.body.find("\"status\":\"scheduled\""), std::string::npos) << created.body;
  EXPECT_EQ(api("DELETE", "/api/v1/broadcasts/1", kStaffToken).status, 200);
  auto status = api("GET", "/api/v1/broadcasts/1", kStaffToken).body;
  EXPECT_NE(status.find("\"status\":\"cancelled\""), std::string::npos) << status;
  EXPECT_EQ(redis.command({"ZCARD", core::Broadcasts::kScheduled}), "0");
  EXPECT_EQ(api("DELETE", "/api/v1/broadcasts/7", kStaffToken).status, 404);
}

}  // namespace
}  // namespace permit::testing
