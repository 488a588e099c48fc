// Admins edit the scripts live: drafts checked with pointers, publish gated
// by the transcripts, 409 on a stale base, rollback to the exact bytes,
// every instance serving a publish within a second, students mid-walkthrough
// kept on their release or migrated, and the audit chain.

#include "bot/util/digest.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include <unistd.h>

namespace permit::testing {
namespace {

using namespace std::chrono_literals;

const std::string kAda = "ada-admin-token";
const std::string kGrace = "grace-admin-token";
const std::string kStella = "stella-staff-token";

std::string admin_config() {
  return temp_config(R"("api_tokens": [{"name": "ada", "role": "admin", "sha256": ")" + util::sha256_hex(kAda) +
                     R"("}, {"name": "grace", "role": "admin", "sha256": ")" + util::sha256_hex(kGrace) +
                     R"("}, {"name": "stella", "role": "staff", "sha256": ")" + util::sha256_hex(kStella) + R"("}])");
}

std::string shipped(const std::string& name) {
  return read_file(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts/" + name);
}

// Whether a unified diff adds a line (not the "+++" header) holding `text`.
bool adds_line_with(const std::string& diff, const std::string& text) {
  std::istringstream lines(diff);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("+") && !line.starts_with("+++") && line.find(text) != std::string::npos) return true;
  return false;
}

// Replaces every occurrence; there must be one.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  EXPECT_NE(text.find(from), std::string::npos) << from;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Visible edits that keep every transcript passing.
const std::string kCquptDo = "\"Get one recent passport-sized photo";
const std::string kCpuDo = "\"Press Ctrl+F to find";
std::string cqupt_rev2() { return replaced(shipped("cqupt.json"), kCquptDo, "\"REV2 Get one recent passport-sized photo"); }
std::string cpu_rev2() { return replaced(shipped("cpu.json"), kCpuDo, "\"REV2 Press Ctrl+F to find"); }

class AdminScriptsTest : public ::testing::Test {
 protected:
  AdminScriptsTest() : bot(redis.url(), {"--config", admin_config()}), client(bot.port()) {
    // The store is seeded from dialogs/scripts on first start, and the
    // instance serves it.
    EXPECT_TRUE(serving(bot, 1)) << bot.log();
  }

  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  static bool serving(const BotProcess& instance, int release) {
    return eventually([&] {
      return http_request(instance.port(), "GET", "/metrics").body.find("permit_script_release " +
                                                                        std::to_string(release) + "\n") !=
             std::string::npos;
    });
  }

  HttpReply api(const std::string& method, const std::string& target, const std::string& token,
                const std::string& body = "", const BotProcess* on = nullptr) const {
    return http_request((on ? on : &bot)->admin_port(), method, target, body, 0, token);
  }

  // Everything under the {scripts} tag, dumped: equal means byte for byte unchanged.
  std::string store_dump() const {
    std::string keys = redis.command({"KEYS", "{scripts}*"});
    std::vector<std::string> names;
    std::stringstream in(keys);
    for (std::string k; std::getline(in, k);) names.push_back(k);
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& k : names) out += k + "=" + util::sha256_hex(redis.command({"DUMP", k})) + "\n";
    return out;
  }

  std::string say(const WechatClient& c, const std::string& openid, const std::string& text) {
    auto reply = c.send_text(openid, next_id++, text);
    EXPECT_EQ(reply.status, 200) << openid << ": " << text;
    return reply.content;
  }

  std::int64_t release_of(const std::string& openid) const {
    const std::string state = redis.command({"HGET", "{u:" + openid + "}:conv", "s"});
    auto at = state.find("\"rel\":");
    return at == std::string::npos ? 0 : std::stoll(state.substr(at + 6));
  }

  RedisServer redis;
  BotProcess bot;
  WechatClient client;
  std::atomic<std::uint64_t> next_id{1};
};

TEST_F(AdminScriptsTest, AnInvalidDraftIs422WithPointerLineAndColumnAndChangesNothing) {
  const std::string before = store_dump();
  const std::string audit_before = redis.command({"XLEN", "{audit}:log"});
  // An unknown field and a blank translation.
  std::string broken = replaced(shipped("cqupt.json"), "\"aliases\"", "\"aliasez\"");
  auto reply = api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, broken);
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_NE(reply.body.find("\"pointer\":\"/aliasez\""), std::string::npos) << reply.body;
  const auto key = broken.find("\"aliasez\"");
  const int line = 1 + static_cast<int>(std::count(broken.begin(), broken.begin() + static_cast<long>(key), '\n'));
  const int column = static_cast<int>(key - broken.rfind('\n', key));
  EXPECT_NE(reply.body.find("\"line\":" + std::to_string(line) + ",\"column\":" + std::to_string(column)),
            std::string::npos)
      << "expected line " << line << " column " << column << ": " << reply.body;
  // Not JSON at all: the parse error's position.
  reply = api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, "{\n  \"id\": \"cqupt\",\n  oops\n}");
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_NE(reply.body.find("\"line\":3,\"column\":3"), std::string::npos) << reply.body;
  // A transcript file that cannot be read.
  reply = api("PUT", "/api/v1/scripts/cqupt.txt/draft", kAda, "=== a\n> hi\n? what\n");
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_NE(reply.body.find("\"line\":3"), std::string::npos) << reply.body;
  // Wrong role, bad name.
  EXPECT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kStella, shipped("cqupt.json")).status, 403);
  EXPECT_EQ(api("PUT", "/api/v1/scripts/schema.json/draft", kAda, "{}").status, 404);
  EXPECT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", "", shipped("cqupt.json")).status, 401);
  EXPECT_EQ(store_dump(), before);
  EXPECT_EQ(redis.command({"XLEN", "{audit}:log"}), audit_before);
}

TEST_F(AdminScriptsTest, PublishRunsTheTranscriptsDiffShowsTheChangeAndRollbackRestoresTheExactBytes) {
  const std::string original = api("GET", "/api/v1/scripts/cqupt.json", kAda).body;
  ASSERT_EQ(original, shipped("cqupt.json"));
  // A renamed step breaks a transcript: refused, and the release stays.
  auto draft = api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda,
                   replaced(shipped("cqupt.json"), "\"en\": \"Photo and photo receipt\"", "\"en\": \"Photos\""));
  ASSERT_EQ(draft.status, 200) << draft.body;
  auto refused = api("POST", "/api/v1/scripts/publish", kAda, R"({"message": "rename step 2"})");
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("walkthrough.txt"), std::string::npos) << refused.body;
  EXPECT_NE(api("GET", "/api/v1/scripts", kAda).body.find("\"release\":1"), std::string::npos);

  ASSERT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, cqupt_rev2()).status, 200);
  auto diff = api("GET", "/api/v1/scripts/cqupt.json/diff", kAda);
  ASSERT_EQ(diff.status, 200);
  EXPECT_NE(diff.body.find("\n-"), std::string::npos) << diff.body;
  EXPECT_TRUE(adds_line_with(diff.body, "REV2 Get one")) << diff.body;
  auto published = api("POST", "/api/v1/scripts/publish", kAda, R"({"base": 1, "message": "photo step wording"})");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_NE(published.body.find("\"release\":2"), std::string::npos) << published.body;
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json", kAda).body, cqupt_rev2());
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json/draft", kAda).status, 404) << "the draft went live";

  auto rolled = api("POST", "/api/v1/scripts/rollback", kAda, R"({"to": 1, "message": "back to the page's wording"})");
  ASSERT_EQ(rolled.status, 200) << rolled.body;
  EXPECT_NE(rolled.body.find("\"release\":3"), std::string::npos) << rolled.body;
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json", kAda).body, original);
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json?release=3", kAda).body, original);
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json?release=2", kAda).body, cqupt_rev2());
  auto exported = api("GET", "/api/v1/scripts/export?release=3", kAda);
  EXPECT_NE(exported.body.find("\"walkthrough.txt\""), std::string::npos);
  auto history = api("GET", "/api/v1/scripts/history", kAda).body;
  for (const char* expected : {"\"release\":3,\"kind\":\"rollback\",\"author\":\"ada\"",
                               "\"release\":2,\"kind\":\"publish\",\"author\":\"ada\"", "\"message\":\"photo step wording\"",
                               "\"rolled_back_to\":1", "\"release\":1,\"kind\":\"seed\""})
    EXPECT_NE(history.find(expected), std::string::npos) << expected << " in " << history;
  // The bot serves the rolled-back text.
  say(client, "stu_rb", "CQUPT");
  say(client, "stu_rb", "start");
  auto step2 = say(client, "stu_rb", "next");
  EXPECT_NE(step2.find("Get one recent"), std::string::npos) << step2;
  EXPECT_EQ(step2.find("REV2"), std::string::npos) << step2;
}

TEST_F(AdminScriptsTest, TwoAdminsPublishingAtOnceOneWinsTheOtherGets409) {
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, cqupt_rev2()).status, 200);
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cpu.json/draft", kGrace, cpu_rev2()).status, 200);
  HttpReply a, g;
  std::thread first([&] { a = api("POST", "/api/v1/scripts/publish", kAda, R"({"base": 1, "message": "ada"})"); });
  std::thread second([&] { g = api("POST", "/api/v1/scripts/publish", kGrace, R"({"base": 1, "message": "grace"})"); });
  first.join();
  second.join();
  std::multiset<int> statuses{a.status, g.status};
  EXPECT_EQ(statuses, (std::multiset<int>{200, 409})) << a.body << "\n" << g.body << bot.log();
  const HttpReply& lost = a.status == 409 ? a : g;
  EXPECT_NE(lost.body.find("\"current\":2"), std::string::npos) << lost.body;
  EXPECT_NE(api("GET", "/api/v1/scripts", kAda).body.find("\"release\":2"), std::string::npos);
  // The loser's draft is kept, to rebase and publish again.
  const std::string& loser = a.status == 409 ? kAda : kGrace;
  auto again = api("POST", "/api/v1/scripts/publish", loser, R"({"base": 2, "message": "again"})");
  EXPECT_EQ(again.status, 200) << again.body;
}

TEST_F(AdminScriptsTest, AMigrationThatWouldStrandAStudentIsRefused) {
  say(client, "stu_m", "CQUPT");
  say(client, "stu_m", "start");
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, cqupt_rev2()).status, 200);
  const std::string before = store_dump();
  auto refused = api("POST", "/api/v1/scripts/publish", kAda,
                     R"({"message": "m", "migrate": {"cqupt": {"step1": "no-such-step"}}})");
  ASSERT_EQ(refused.status, 409) << refused.body;
  EXPECT_NE(refused.body.find("\"cqupt:step1\":1"), std::string::npos) << refused.body;
  EXPECT_EQ(store_dump(), before);
  auto bad = api("POST", "/api/v1/scripts/publish", kAda, R"({"message": "m", "migrate": {"mit": {}}})");
  EXPECT_EQ(bad.status, 400) << bad.body << bot.log();
  EXPECT_NE(bad.body.find("/migrate/mit"), std::string::npos) << bad.body;
}

// 200 students mid-walkthrough on two instances: the CQUPT ones are
// migrated by the publish, the CPU ones stay on the release they started.
TEST_F(AdminScriptsTest, PublishWhileStudentsAreMidWalkthroughOnTwoInstances) {
  BotProcess other(redis.url(), {"--config", admin_config()});
  ASSERT_TRUE(serving(other, 1)) << other.log();
  WechatClient other_client(other.port());
  const WechatClient* instance[2] = {&client, &other_client};
  constexpr int kStudents = 200;
  auto openid = [](int i) { return std::string(i % 2 ? "cpu_" : "cq_") + std::to_string(i); };
  for (int i = 0; i < kStudents; ++i) {
    say(*instance[i % 2], openid(i), i % 2 ? "CPU" : "CQUPT");
    say(*instance[(i + 1) % 2], openid(i), "start");
    ASSERT_EQ(release_of(openid(i)), 1) << openid(i);
  }
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, cqupt_rev2()).status, 200);
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cpu.json/draft", kAda, cpu_rev2()).status, 200);

  // Students keep talking while the release changes under them.
  std::atomic<bool> publishing{true};
  std::atomic<int> failures{0}, answered{0};
  std::thread chatter([&] {
    for (int round = 0; publishing || round < 1; ++round)
      for (int i = 0; i < kStudents; i += 7) {
        auto r = instance[(i + round) % 2]->send_text(openid(i), next_id++, "progress");
        if (r.status != 200 || r.content.empty()) ++failures;
        else ++answered;
      }
  });
  auto published = api("POST", "/api/v1/scripts/publish", kAda,
                       R"({"base": 1, "message": "both steps reworded", "migrate": {"cqupt": {}}})");
  publishing = false;
  chatter.join();
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(failures, 0);
  EXPECT_GT(answered, 0);

  // Every instance serves release 2 within a second of the publish.
  const auto fresh_sees_rev2 = [&](const WechatClient& c, const std::string& id) {
    say(c, id, "CQUPT");
    say(c, id, "start");
    return say(c, id, "next").find("REV2") != std::string::npos;
  };
  int probe = 0;
  EXPECT_TRUE(eventually([&] { return fresh_sees_rev2(other_client, "probe_" + std::to_string(probe++)); }, 1s))
      << other.log();
  EXPECT_TRUE(fresh_sees_rev2(client, "probe_a"));

  for (int i = 0; i < kStudents; ++i) {
    const auto reply = say(*instance[i % 2], openid(i), "next");
    ASSERT_FALSE(reply.empty()) << openid(i);
    if (i % 2 == 0) {
      EXPECT_NE(reply.find("REV2 Get one recent"), std::string::npos) << openid(i) << " was not migrated: " << reply;
      EXPECT_EQ(release_of(openid(i)), 2) << openid(i);
    } else {
      EXPECT_NE(reply.find("Press Ctrl+F"), std::string::npos) << openid(i) << ": " << reply;
      EXPECT_EQ(reply.find("REV2"), std::string::npos) << openid(i) << " left its release: " << reply;
      EXPECT_EQ(release_of(openid(i)), 1) << openid(i);
    }
  }
  // A walkthrough begun anew is on the new release.
  say(other_client, openid(1), "restart");
  EXPECT_NE(say(other_client, openid(1), "next").find("REV2 Press Ctrl+F"), std::string::npos);
  EXPECT_EQ(release_of(openid(1)), 2);
}

TEST_F(AdminScriptsTest, TheAuditChainVerifiesAndDetectsATamperedEntry) {
  ASSERT_EQ(api("PUT", "/api/v1/scripts/cqupt.json/draft", kAda, cqupt_rev2()).status, 200);
  ASSERT_EQ(api("POST", "/api/v1/scripts/publish", kAda, R"({"message": "wording"})").status, 200);
  ASSERT_EQ(api("POST", "/api/v1/scripts/rollback", kGrace, R"({"to": 1})").status, 200);
  ASSERT_EQ(api("POST", "/api/v1/broadcasts", kStella,
                R"({"audience": {"all": true}, "text": {"en": "Hi", "zh": "你好"}})")
                .status,
            202);
  auto audit = api("GET", "/api/v1/audit", kAda);
  ASSERT_EQ(audit.status, 200);
  EXPECT_NE(audit.body.find("\"intact\":true,\"length\":4"), std::string::npos) << audit.body;
  for (const char* expected : {"\"who\":\"ada\",\"role\":\"admin\"", "\"action\":\"scripts.draft\"",
                               "\"action\":\"scripts.publish\"", "\"who\":\"grace\"", "\"action\":\"scripts.rollback\"",
                               "\"who\":\"stella\",\"role\":\"staff\"", "\"action\":\"broadcast.create\""})
    EXPECT_NE(audit.body.find(expected), std::string::npos) << expected;
  EXPECT_EQ(api("GET", "/api/v1/audit", kStella).status, 403);

  // Rewrite the log with one field of the second entry changed.
  std::stringstream flat(redis.command({"XRANGE", "{audit}:log", "-", "+"}));
  std::vector<std::string> lines;
  for (std::string l; std::getline(flat, l);) lines.push_back(l);
  constexpr std::size_t kPerEntry = 19;  // id + 9 field/value pairs
  ASSERT_EQ(lines.size(), 4 * kPerEntry);
  redis.command({"DEL", "{audit}:log"});
  std::string tampered_id;
  for (std::size_t e = 0; e < 4; ++e) {
    std::vector<std::string> add{"XADD", "{audit}:log", lines[e * kPerEntry]};
    for (std::size_t i = 1; i < kPerEntry; i += 2) {
      std::string value = lines[e * kPerEntry + i + 1];
      if (e == 1 && lines[e * kPerEntry + i] == "who") {
        value = "mallory";
        tampered_id = lines[e * kPerEntry];
      }
      add.push_back(lines[e * kPerEntry + i]);
      add.push_back(value);
    }
    redis.command(add);
  }
  ASSERT_FALSE(tampered_id.empty());
  audit = api("GET", "/api/v1/audit", kAda);
  EXPECT_NE(audit.body.find("\"intact\":false"), std::string::npos) << audit.body;
  EXPECT_NE(audit.body.find("\"broken_at\":\"" + tampered_id + "\""), std::string::npos) << audit.body;
}

struct Ctl {
  int code;
  std::string out, err;
};

// Runs permit-botctl against the bot's admin listener with this token in
// its environment (an empty token: none).
Ctl botctl(const BotProcess& bot, const std::string& token, const std::vector<std::string>& args) {
  if (token.empty()) unsetenv("PERMIT_BOTCTL_TOKEN");
  else setenv("PERMIT_BOTCTL_TOKEN", token.c_str(), 1);
  setenv("PERMIT_BOTCTL_API", ("http://127.0.0.1:" + std::to_string(bot.admin_port())).c_str(), 1);
  std::vector<std::string> argv{PERMIT_BOTCTL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string err_path = std::filesystem::temp_directory_path() / ("botctl-" + std::to_string(getpid()) + ".err");
  ChildProcess child(argv, true, err_path);
  Ctl out{0, "", ""};
  for (std::string line = child.read_line(30000); !line.empty(); line = child.read_line(30000)) out.out += line + "\n";
  out.code = child.wait();
  out.err = read_file(err_path);
  std::filesystem::remove(err_path);
  unsetenv("PERMIT_BOTCTL_TOKEN");
  return out;
}

TEST_F(AdminScriptsTest, BotctlPullsValidatesPushesPublishesAndRollsBackWithClearExitCodes) {
  const auto dir = std::filesystem::temp_directory_path() / ("botctl-pull-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(botctl(bot, "", {"scripts", "list"}).code, 4) << "no token";
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "list", "--token", kAda}).code, 2) << "a token flag is refused";
  EXPECT_EQ(botctl(bot, kStella, {"scripts", "list"}).code, 4) << "staff may not";
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "frobnicate"}).code, 2);

  auto pulled = botctl(bot, kAda, {"scripts", "pull", "--dir", dir.string()});
  ASSERT_EQ(pulled.code, 0) << pulled.err;
  for (const char* name : {"cqupt.json", "common.json", "walkthrough.txt"})
    EXPECT_EQ(read_file((dir / name).string()), shipped(name)) << name;
  const auto file = (dir / "cqupt.json").string();
  std::ofstream(file, std::ios::binary | std::ios::trunc) << replaced(shipped("cqupt.json"), "\"aliases\"", "\"aliasez\"");
  auto invalid = botctl(bot, kAda, {"scripts", "validate", file});
  EXPECT_EQ(invalid.code, 1);
  EXPECT_NE(invalid.err.find("cqupt.json:"), std::string::npos) << invalid.err;
  EXPECT_NE(invalid.err.find(": /aliasez: unknown field"), std::string::npos) << invalid.err;

  std::ofstream(file, std::ios::binary | std::ios::trunc) << cqupt_rev2();
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "validate", file}).code, 0);
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "push", file}).code, 0);
  EXPECT_TRUE(adds_line_with(botctl(bot, kAda, {"scripts", "diff", "cqupt.json"}).out, "REV2 Get one"));
  auto published = botctl(bot, kAda, {"scripts", "publish", "-m", "photo wording"});
  ASSERT_EQ(published.code, 0) << published.err;
  EXPECT_NE(published.out.find("\"release\":2"), std::string::npos) << published.out;
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "publish", "-m", "nothing left"}).code, 1) << "the draft is empty";
  EXPECT_NE(botctl(bot, kAda, {"scripts", "history"}).out.find("photo wording"), std::string::npos);
  EXPECT_EQ(botctl(bot, kAda, {"scripts", "rollback", "--to", "1"}).code, 0);
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json", kAda).body, shipped("cqupt.json"));
  EXPECT_NE(botctl(bot, kAda, {"audit"}).out.find("\"intact\":true"), std::string::npos);
  EXPECT_EQ(botctl(bot, kAda, {"unanswered"}).code, 0);
  EXPECT_EQ(botctl(bot, kStella, {"broadcasts", "status", "42"}).code, 1) << "no such broadcast";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace permit::testing
