// Staff broadcasts to thousands of students through wechat-sim serve: each
// student gets the message once, whatever happens to the instances or the
// token, within the configured rate; dead letters show in the status.

#include "bot/staff/broadcasts.hpp"
#include "bot/outbound/stream_sender.hpp"
#include "bot/outbound/wechat_api.hpp"
#include "bot/util/digest.hpp"
#include "dialogs/student_state.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <csignal>
#include <map>
#include <optional>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

const std::string kStaffToken = "staff-token-123";
constexpr int kRate = 500;

class BroadcastDeliveryTest : public ::testing::Test {
 protected:
  std::vector<std::string> bot_args(const std::string& outbound = R"({"claim_idle_ms": 1000})",
                                    bool with_template = true) {
    const std::string config =
        temp_config(R"("api_tokens": [{"name": "stella", "role": "staff", "sha256": ")" + util::sha256_hex(kStaffToken) +
                    R"("}], "outbound_rate_per_second": )" + std::to_string(kRate) + R"(, "outbound": )" + outbound);
    std::vector<std::string> args{"--config", config, "--wechat-secret", SimProcess::kSecret, "--wechat-api-base",
                                  sim.base_url()};
    if (with_template) args.insert(args.end(), {"--wechat-template-id", "tpl_notice"});
    return args;
  }

  // `count` students stu_bN (N from `first`) at JSNU who last wrote
  // `seconds_ago` (by default three days ago: outside the platform's
  // 48-hour window, so only the template message reaches them).
  void seed_students(int count, int first = 0, std::int64_t seconds_ago = 3 * 24 * 3600) {
    dialogs::StudentState st;
    st.university = "jsnu";
    st.messages = 3;
    const std::string three_days_ago = std::to_string(unix_now() - seconds_ago);
    const std::string reply = redis.command(
        {"EVAL",
         "for i = tonumber(ARGV[1]), tonumber(ARGV[1]) + tonumber(ARGV[2]) - 1 do "
         "redis.call('HSET', '{u:stu_b' .. i .. '}:conv', 'v', '1', 's', ARGV[3], 't', ARGV[4]) end return 1",
         "0", std::to_string(first), std::to_string(count), st.serialise(), three_days_ago});
    ASSERT_EQ(reply, "1");
  }

  HttpReply api(BotProcess& bot, const std::string& method, const std::string& target, const std::string& body = "") {
    return http_request(bot.admin_port(), method, target, body, 0, kStaffToken);
  }

  std::string create(BotProcess& bot) {
    auto created = api(bot, "POST", "/api/v1/broadcasts",
                       R"({"audience": {"all": true}, "text": {"en": "Office closed Monday", "zh": "周一办公室关闭"}})");
    EXPECT_EQ(created.status, 202) << created.body;
    rapidjson::Document doc;
    doc.Parse(created.body.c_str());
    return doc.IsObject() && doc.HasMember("id") ? doc["id"].GetString() : "";
  }

  // The broadcast's status as a map of its string fields.
  std::map<std::string, std::string> status(BotProcess& bot, const std::string& id) {
    std::map<std::string, std::string> out;
    rapidjson::Document doc;
    doc.Parse(api(bot, "GET", "/api/v1/broadcasts/" + id).body.c_str());
    if (!doc.IsObject()) return out;
    for (const auto& m : doc.GetObject())
      if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
    return out;
  }

  struct Delivered {
    std::map<std::string, int> per_student;  // openid -> messages
    std::vector<std::int64_t> at_ms;         // when the platform took each, sorted
    std::map<std::string, std::string> content;  // openid -> the last one's content
  };
  Delivered delivered() {
    Delivered out;
    rapidjson::Document doc;
    const std::string body = sim.messages();
    doc.Parse(body.c_str());
    EXPECT_TRUE(doc.IsArray());
    if (!doc.IsArray()) return out;
    for (const auto& m : doc.GetArray()) {
      const std::string openid = m["touser"].GetString();
      ++out.per_student[openid];
      out.at_ms.push_back(m["at_ms"].GetInt64());
      out.content[openid] = m["content"].GetString();
    }
    std::sort(out.at_ms.begin(), out.at_ms.end());
    return out;
  }

  // The most messages the platform took in any one second (a sliding
  // window starting at each message).
  static int busiest_second(const std::vector<std::int64_t>& at_ms) {
    int most = 0;
    std::size_t end = 0;
    for (std::size_t begin = 0; begin < at_ms.size(); ++begin) {
      while (end < at_ms.size() && at_ms[end] < at_ms[begin] + 1000) ++end;
      most = std::max(most, static_cast<int>(end - begin));
    }
    return most;
  }

  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  RedisServer redis;
  SimProcess sim;
};

TEST_F(BroadcastDeliveryTest, TenThousandStudentsGetItOnceWithinTheRateWhileAnInstanceIsKilledTwice) {
  constexpr int kStudents = 10000;
  seed_students(kStudents);
  const auto args = bot_args();
  BotProcess a(redis.url(), args);
  std::optional<BotProcess> b(std::in_place, redis.url(), args);
  const std::string id = create(a);
  ASSERT_FALSE(id.empty());
  auto sent = [&] {
    auto s = status(a, id);
    return s.count("sent") ? std::atoi(s["sent"].c_str()) : -1;
  };
  // Kill one instance while it sends, twice, and bring it back each time:
  // what it held is reclaimed after claim_idle_ms by whoever is alive.
  for (int threshold : {kStudents / 4, kStudents / 2}) {
    ASSERT_TRUE(eventually([&] { return sent() >= threshold; }, 120s)) << sent();
    b->signal(SIGKILL);
    b->wait();
    b.emplace(redis.url(), args);
  }
  ASSERT_TRUE(eventually([&] { return sent() == kStudents; }, 120s))
      << "sent " << sent() << ", queue " << redis.command({"XLEN", core::Broadcasts::kQueue}) << ", pending "
      << redis.command({"XPENDING", core::Broadcasts::kQueue, "senders"}) << "\n"
      << a.log();

  auto got = delivered();
  EXPECT_EQ(got.per_student.size(), static_cast<std::size_t>(kStudents));
  int twice = 0;
  for (int i = 0; i < kStudents; ++i) {
    const std::string openid = "stu_b" + std::to_string(i);
    auto it = got.per_student.find(openid);
    if (it == got.per_student.end() || it->second != 1) ++twice;
    EXPECT_EQ(it == got.per_student.end() ? 0 : it->second, 1) << openid;
    if (twice > 5) break;  // enough said
  }
  EXPECT_NE(got.content["stu_b7"].find("Office closed Monday"), std::string::npos) << got.content["stu_b7"];
  const int busiest = busiest_second(got.at_ms);
  EXPECT_LE(busiest, kRate);
  const double seconds = (got.at_ms.back() - got.at_ms.front()) / 1000.0;
  const std::string token = redis.command({"GET", outbound::WechatApi::kTokenKey});
  std::printf("delivered %zu in %.1f s (%.0f/s), busiest second %d, limit %d; template sends asked %ld\n",
              got.at_ms.size(), seconds, got.at_ms.size() / seconds, busiest, kRate,
              sim.quota_used(token, "/cgi-bin/message/template/send"));
  auto s = status(a, id);
  EXPECT_EQ(s["status"], "queued");
  EXPECT_EQ(s["audience_size"], std::to_string(kStudents));
  EXPECT_EQ(s["queued"], std::to_string(kStudents));
  EXPECT_EQ(s["sent"], std::to_string(kStudents));
  EXPECT_EQ(s["failed"], "0");
  EXPECT_EQ(s["skipped"], "0");
  EXPECT_EQ(redis.command({"XLEN", core::Broadcasts::kQueue}), "0");
}

TEST_F(BroadcastDeliveryTest, ATokenInvalidatedMidBroadcastIsFetchedAgainOnceAndNobodyMissesOrRepeats) {
  constexpr int kStudents = 2000;
  seed_students(kStudents);
  const auto args = bot_args();
  BotProcess a(redis.url(), args), b(redis.url(), args);
  const std::string id = create(a);
  auto sent = [&] {
    auto s = status(a, id);
    return s.count("sent") ? std::atoi(s["sent"].c_str()) : -1;
  };
  ASSERT_TRUE(eventually([&] { return sent() >= kStudents / 4; }, 60s)) << sent();
  const std::string first_token = redis.command({"GET", outbound::WechatApi::kTokenKey});
  // Someone fetches a new token behind the bots' backs: the sends in flight
  // are refused with 40001, one instance fetches the new token, and every
  // refused send is retried with it.
  sim.invalidate_token();
  ASSERT_TRUE(eventually([&] { return sent() == kStudents; }, 60s)) << sent();
  auto got = delivered();
  EXPECT_EQ(got.per_student.size(), static_cast<std::size_t>(kStudents));
  int wrong = 0;
  for (const auto& [openid, n] : got.per_student) wrong += n != 1;
  EXPECT_EQ(wrong, 0);
  const std::string token = redis.command({"GET", outbound::WechatApi::kTokenKey});
  EXPECT_NE(token, first_token);
  // The first fetch, and one after the invalidation: the platform's own
  // count of stable_token calls.
  EXPECT_EQ(sim.quota_used(token, "/cgi-bin/stable_token"), 2);
  auto s = status(a, id);
  EXPECT_EQ(s["sent"], std::to_string(kStudents));
  EXPECT_EQ(s["failed"], "0");
}

TEST_F(BroadcastDeliveryTest, RecipientsThatFailForGoodShowInTheStatusWithTheirReasons) {
  constexpr int kStudents = 200;
  seed_students(kStudents);
  // The platform does not know three of them (the account was deleted),
  // and answers "system busy" for two others whatever is tried.
  for (const char* gone : {"stu_b10", "stu_b20", "stu_b30"}) sim.forget(gone);
  for (const char* busy : {"stu_b40", "stu_b50", "stu_b60"}) sim.fail(busy, -1);
  BotProcess bot(redis.url(), bot_args(R"({"claim_idle_ms": 300, "max_attempts": 3})"));
  const std::string id = create(bot);
  // One of them recovers after a failed attempt: it is sent, and its
  // failure count is forgotten.
  const std::string failures = outbound::StreamSender::failures_key(core::Broadcasts::kQueue);
  ASSERT_TRUE(eventually([&] { return redis.command({"HGET", failures, "b:" + id + ":stu_b60"}) == "1"; }, 30s));
  sim.fail("stu_b60", 0);
  ASSERT_TRUE(eventually([&] {
    auto s = status(bot, id);
    return s["sent"] == std::to_string(kStudents - 5) && s["failed"] == "5";
  }, 60s)) << api(bot, "GET", "/api/v1/broadcasts/" + id).body;
  auto s = status(bot, id);
  EXPECT_EQ(s["reason:40003 invalid openid"], "3");
  EXPECT_EQ(s["reason:-1 system error (failed 3 times)"], "2");
  for (const char* gone : {"stu_b10", "stu_b20", "stu_b30"})
    EXPECT_EQ(s[std::string("failed:") + gone], "40003 invalid openid");
  for (const char* busy : {"stu_b40", "stu_b50"})
    EXPECT_EQ(s[std::string("failed:") + busy], "-1 system error (failed 3 times)");
  EXPECT_EQ(s["skipped"], "0");
  // The dead letters are kept, and nothing is left to send.
  EXPECT_EQ(redis.command({"XLEN", outbound::StreamSender::kDead}), "5");
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", core::Broadcasts::kQueue}) == "0"; }));
  EXPECT_EQ(redis.command({"EXISTS", failures}), "0");
  auto got = delivered();
  EXPECT_EQ(got.per_student.size(), static_cast<std::size_t>(kStudents - 5));
  EXPECT_EQ(got.per_student.count("stu_b40"), 0u);
  EXPECT_EQ(got.per_student["stu_b60"], 1);
}

// Students who wrote an hour ago (inside the window, as far as the bot
// knows) and were already sent the window's five customer-service
// messages: the platform answers 45047, as it does to any sixth message.
class WindowCountUsedUpTest : public BroadcastDeliveryTest {
 protected:
  static constexpr int kStudents = 12;
  const std::vector<std::string> used_up{"stu_b3", "stu_b7", "stu_b11"};

  void SetUp() override {
    seed_students(kStudents, 0, 3600);
    for (int i = 0; i < kStudents; ++i) sim.interaction("stu_b" + std::to_string(i));
    for (const auto& openid : used_up)
      for (int n = 0; n < 5; ++n) ASSERT_EQ(sim.send_custom(openid, "earlier answer"), 0);
    ASSERT_EQ(sim.send_custom(used_up[0], "one too many"), 45047);
  }
};

TEST_F(WindowCountUsedUpTest, TheyGetTheTemplateMessageAndTheBroadcastFinishes) {
  BotProcess bot(redis.url(), bot_args());
  const std::string id = create(bot);
  ASSERT_TRUE(eventually([&] { return status(bot, id)["sent"] == std::to_string(kStudents); }, 30s))
      << api(bot, "GET", "/api/v1/broadcasts/" + id).body;
  for (const auto& openid : used_up) {
    EXPECT_EQ(sim.count(openid, "template", "Office closed Monday"), 1) << openid;
    EXPECT_EQ(sim.count(openid, "custom", "Office closed Monday"), 0) << openid;
  }
  EXPECT_EQ(sim.count("stu_b0", "custom", "Office closed Monday"), 1);
  EXPECT_EQ(sim.count("stu_b0", "template"), 0);
  auto s = status(bot, id);
  EXPECT_EQ(s["failed"], "0");
  EXPECT_EQ(s["skipped"], "0");
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", core::Broadcasts::kQueue}) == "0"; }));
}

TEST_F(WindowCountUsedUpTest, WithoutATemplateTheyAreSkippedWithTheReasonAndTheBroadcastFinishes) {
  BotProcess bot(redis.url(), bot_args(R"({"claim_idle_ms": 1000})", false));
  const std::string id = create(bot);
  const std::string skipped = std::to_string(used_up.size());
  const std::string sent = std::to_string(kStudents - used_up.size());
  ASSERT_TRUE(eventually([&] {
    auto s = status(bot, id);
    return s["sent"] == sent && s["skipped"] == skipped;
  }, 30s)) << api(bot, "GET", "/api/v1/broadcasts/" + id).body;
  auto s = status(bot, id);
  EXPECT_EQ(s["failed"], "0");
  EXPECT_EQ(s["reason:45047 the 48-hour window's message count is used up, no template configured"], skipped)
      << api(bot, "GET", "/api/v1/broadcasts/" + id).body;
  for (const auto& openid : used_up) EXPECT_EQ(sim.count(openid, "custom", "Office closed Monday"), 0) << openid;
  EXPECT_TRUE(eventually([&] { return redis.command({"XLEN", core::Broadcasts::kQueue}) == "0"; }));
  const std::string record = redis.command({"XRANGE", outbound::StreamSender::kSkipped, "-", "+"});
  EXPECT_NE(record.find("45047"), std::string::npos) << record;
}

}  // namespace
}  // namespace permit::testing
