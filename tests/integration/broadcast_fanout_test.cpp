// The fan-out of a staff broadcast to 100,000 students: an instance killed
// while it queues them leaves the rest to another instance, which goes on
// from the recorded cursor without queueing anyone twice.

#include "bot/staff/broadcasts.hpp"
#include "bot/util/digest.hpp"
#include "dialogs/student_state.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <sstream>
#include <thread>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

const std::string kStaffToken = "staff-token-123";

TEST(BroadcastFanOut, AFanOutInterruptedByAKillIsFinishedByAnotherInstanceWithoutDuplicates) {
  constexpr int kStudents = 100000;
  RedisServer redis;
  // Half write Chinese; the students are seeded straight into Redis.
  dialogs::StudentState en, zh;
  en.university = zh.university = "hust";
  zh.pinned = dialogs::Lang::zh;
  ASSERT_EQ(redis.command({"EVAL",
                           "for i = 0, tonumber(ARGV[1]) - 1 do "
                           "redis.call('HSET', '{u:stu_f' .. i .. '}:conv', 'v', '1', 's', ARGV[2 + i % 2]) end return 1",
                           "0", std::to_string(kStudents), en.serialise(), zh.serialise()}),
            "1");
  // No secret: nothing is sent, so the queue shows the fan-out as it is.
  const std::vector<std::string> args{
      "--config", temp_config(R"("api_tokens": [{"name": "stella", "role": "staff", "sha256": ")" +
                              util::sha256_hex(kStaffToken) + R"("}])")};
  std::optional<BotProcess> a(std::in_place, redis.url(), args);
  BotProcess b(redis.url(), args);
  const std::uint16_t a_admin = a->admin_port();
  std::thread request([&] {
    http_request(a_admin, "POST", "/api/v1/broadcasts",
                 R"({"audience": {"all": true}, "text": {"en": "Fees due", "zh": "请缴费"}})", 0, kStaffToken);
  });
  auto queued = [&] { return std::atoi(redis.command({"XLEN", core::Broadcasts::kQueue}).c_str()); };
  const bool started = eventually([&] { return queued() >= kStudents / 10; }, 60s);
  a->signal(SIGKILL);
  a->wait();
  request.join();
  ASSERT_TRUE(started) << queued();
  const int at_kill = queued();
  const std::string key = core::Broadcasts::key("1");
  // Killed mid-way, with its progress recorded.
  ASSERT_LT(at_kill, kStudents) << "the fan-out finished before the kill; nothing was resumed";
  EXPECT_EQ(redis.command({"HGET", key, "status"}), "queueing");
  EXPECT_NE(redis.command({"HGET", key, "cursor"}), "0");
  EXPECT_EQ(redis.command({"SISMEMBER", core::Broadcasts::kFanning, "1"}), "1");

  // The other instance takes over once the dead one's lease has expired.
  ASSERT_TRUE(eventually([&] { return redis.command({"HGET", key, "status"}) == "queued"; }, 60s))
      << queued() << "\n" << b.log();
  EXPECT_EQ(queued(), kStudents);
  EXPECT_EQ(redis.command({"HGET", key, "audience_size"}), std::to_string(kStudents));
  EXPECT_EQ(redis.command({"HGET", key, "queued"}), std::to_string(kStudents));
  // Every student once, in their language. Read in pages: one script over
  // 100,000 entries outlived the client's 5 s timeout on a loaded machine.
  const std::string seen = "{broadcast}:test-seen";
  int students = 0, in_chinese = 0;
  for (std::string from = "-";;) {
    std::istringstream page(redis.command(
        {"EVAL",
         "local added, zh, last = 0, 0, '' "
         "for _, e in ipairs(redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', 10000)) do "
         "  local f = {} for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end "
         "  added = added + redis.call('SADD', KEYS[2], f.openid) "
         "  if f.lang == 'zh' then zh = zh + 1 end "
         "  last = e[1] "
         "end return {added, zh, last}",
         "2", core::Broadcasts::kQueue, seen, from}));
    int added = -1, zh_here = -1;
    std::string last;
    page >> added >> zh_here;
    std::getline(page >> std::ws, last);
    ASSERT_GE(added, 0) << page.str();
    students += added;
    in_chinese += zh_here;
    if (last.empty()) break;
    from = "(" + last;
  }
  redis.command({"DEL", seen});
  EXPECT_EQ(students, kStudents);
  EXPECT_EQ(in_chinese, kStudents / 2);
  EXPECT_EQ(redis.command({"EXISTS", key + ":members", key + ":lease"}), "0");
  EXPECT_EQ(redis.command({"SCARD", core::Broadcasts::kFanning}), "0");

  // A resume that read the fan-outs under way just before the fan-out
  // finished (the id still listed, the lease released) queues nobody
  // again: its cursor reads "0", which is the start.
  redis.command({"SADD", core::Broadcasts::kFanning, "1"});
  ASSERT_TRUE(eventually([&] { return redis.command({"SCARD", core::Broadcasts::kFanning}) == "0"; }, 30s))
      << b.log();
  EXPECT_EQ(queued(), kStudents);
  EXPECT_EQ(redis.command({"HGET", key, "queued"}), std::to_string(kStudents));
  EXPECT_EQ(redis.command({"HGET", key, "status"}), "queued");
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

}  // namespace
}  // namespace permit::testing
