// The console's accounts and sessions on the admin listener: signing in and
// out, the cookie, the lockout, CSRF, accounts disabled or re-passworded,
// and the headers every answer carries.

#include "bot/staff/broadcasts.hpp"
#include "bot/util/digest.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/console_client.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>

namespace permit::testing {
namespace {

const std::string kAdminToken = "admin-token-456";

std::string token_config() {
  return temp_config(R"("api_tokens": [{"name": "root", "role": "admin", "sha256": ")" + util::sha256_hex(kAdminToken) +
                     R"("}])");
}

class ConsoleSessionTest : public ::testing::Test {
 protected:
  ConsoleSessionTest() : bot(redis.url(), {"--config", token_config()}) {}

  void SetUp() override {
    // Accounts made the way permit-botctl makes them: a config token.
    ASSERT_EQ(add_account("alice", "admin", "correct horse battery").status, 201);
    ASSERT_EQ(add_account("bob", "staff", "bob's long password").status, 201);
  }
  void TearDown() override { EXPECT_TRUE(every_key_has_a_hash_tag(redis)); }

  ConsoleReply add_account(const std::string& name, const std::string& role, const std::string& password) {
    ConsoleClient api(bot.admin_port());
    return api.request("POST", "/api/v1/users",
                       R"({"name":")" + name + R"(","role":")" + role + R"(","password":")" + password + R"("})",
                       {{"Authorization", "Bearer " + kAdminToken}});
  }
  std::string audit() { return redis.command({"XRANGE", "{audit}:log", "-", "+"}); }

  RedisServer redis;
  BotProcess bot;
};

TEST_F(ConsoleSessionTest, SignInSetsAStrictCookieAndSignOutEndsTheSession) {
  ConsoleClient browser(bot.admin_port());
  EXPECT_EQ(browser.request("GET", "/api/v1/session").status, 401);
  auto signed_in = browser.sign_in("Alice", "correct horse battery");  // names in any case
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  const std::string cookie = signed_in.headers["set-cookie"];
  for (const char* part : {"HttpOnly", "SameSite=Strict", "Path=/"}) EXPECT_NE(cookie.find(part), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP: no Secure";
  EXPECT_EQ(browser.cookie.size(), 64u);
  EXPECT_EQ(browser.csrf.size(), 64u);
  EXPECT_EQ(redis.command({"EXISTS", "{accounts}:session:" + browser.cookie}), "0") << "Redis holds the token's hash only";
  EXPECT_EQ(redis.command({"EXISTS", "{accounts}:session:" + util::sha256_hex(browser.cookie)}), "1");
  auto ttl = std::stoi(redis.command({"TTL", "{accounts}:session:" + util::sha256_hex(browser.cookie)}));
  EXPECT_GT(ttl, 29 * 60);
  EXPECT_LE(ttl, 30 * 60);

  auto me = browser.request("GET", "/api/v1/session");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find(R"("name":"alice","role":"admin")"), std::string::npos) << me.body;

  // Behind a TLS proxy the cookie is Secure.
  ConsoleClient tls(bot.admin_port());
  auto secure = tls.request("POST", "/api/v1/session", R"({"name":"bob","password":"bob's long password"})",
                            {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(secure.status, 200);
  EXPECT_NE(secure.headers["set-cookie"].find("; Secure"), std::string::npos);

  EXPECT_EQ(browser.request("DELETE", "/api/v1/session", "", {{"X-CSRF-Token", ""}}).status, 403);
  EXPECT_EQ(browser.request("GET", "/api/v1/session").status, 200) << "a refused sign-out changes nothing";
  auto out = browser.request("DELETE", "/api/v1/session");
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(browser.request("GET", "/api/v1/session").status, 401);
  const std::string log = audit();
  for (const char* action : {"account.create", "sign_in", "sign_out"}) EXPECT_NE(log.find(action), std::string::npos) << action;
}

TEST_F(ConsoleSessionTest, ASessionEndsTwelveHoursAfterSignInHoweverBusy) {
  ConsoleClient browser(bot.admin_port());
  ASSERT_EQ(browser.sign_in("bob", "bob's long password").status, 200);
  const std::string key = "{accounts}:session:" + util::sha256_hex(browser.cookie);
  // Opened 11 h 59 min ago: still good, and its idle expiry is cut to the
  // minute left.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  redis.command({"HSET", key, "created_at", std::to_string(now - 12 * 3600 + 60)});
  EXPECT_EQ(browser.request("GET", "/api/v1/session").status, 200);
  EXPECT_LE(std::stoi(redis.command({"TTL", key})), 60);
  // Opened 12 h ago: over, whatever its idle expiry says.
  redis.command({"HSET", key, "created_at", std::to_string(now - 12 * 3600)});
  redis.command({"EXPIRE", key, "1800"});
  EXPECT_EQ(browser.request("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(redis.command({"EXISTS", key}), "0");
}

TEST_F(ConsoleSessionTest, NoSuchUserAnswersLikeAWrongPasswordAndFiveFailuresLockTheNameAndTheAddress) {
  ConsoleClient first(bot.admin_port()), second(bot.admin_port());
  first.source = "127.0.0.2";
  second.source = "127.0.0.3";
  auto wrong = first.sign_in("bob", "not the password");
  auto nobody = first.sign_in("nobody", "not the password");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(nobody.status, 401);
  EXPECT_EQ(wrong.body, nobody.body);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first.sign_in("bob", "still wrong " + std::to_string(i)).status, 401);
  // Five failures from 127.0.0.2 (four of them for bob): the address is locked...
  auto locked = first.sign_in("alice", "correct horse battery");
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_NE(locked.body.find("\"error\":\"locked\""), std::string::npos);
  EXPECT_FALSE(locked.headers["retry-after"].empty());
  // ...bob is not yet (four), so from elsewhere one more failure locks him,
  EXPECT_EQ(second.sign_in("bob", "wrong again").status, 401);
  // even with the right password, from anywhere,
  EXPECT_EQ(second.sign_in("bob", "bob's long password").status, 429);
  // while alice, from another address, is fine.
  EXPECT_EQ(second.sign_in("alice", "correct horse battery").status, 200);
  auto ttl = std::stoi(redis.command({"TTL", "{accounts}:fail:name:bob"}));
  EXPECT_GT(ttl, 14 * 60);
  EXPECT_LE(ttl, 15 * 60);
  const std::string log = audit();
  EXPECT_NE(log.find("sign_in.failure"), std::string::npos);
  EXPECT_NE(log.find("sign_in.lockout"), std::string::npos);
  EXPECT_NE(log.find("account bob"), std::string::npos);
  EXPECT_NE(log.find("address 127.0.0.2"), std::string::npos);
}

TEST_F(ConsoleSessionTest, AChangeWithoutTheCsrfTokenOrFromAnotherOriginIsRefusedAndChangesNothing) {
  ConsoleClient browser(bot.admin_port());
  ASSERT_EQ(browser.sign_in("bob", "bob's long password").status, 200);
  const std::string body = R"({"audience": {"all": true}, "text": {"en": "Hi", "zh": "你好"}})";
  EXPECT_EQ(browser.request("POST", "/api/v1/broadcasts", body, {{"X-CSRF-Token", ""}}).status, 403);
  EXPECT_EQ(browser.request("POST", "/api/v1/broadcasts", body, {{"X-CSRF-Token", std::string(64, 'a')}}).status, 403);
  EXPECT_EQ(browser.request("POST", "/api/v1/broadcasts", body, {{"Origin", "http://evil.example"}}).status, 403);
  EXPECT_EQ(browser.request("POST", "/api/v1/broadcasts", body, {{"Origin", ""}}).status, 403);
  EXPECT_EQ(redis.command({"EXISTS", "{broadcast}:seq"}), "0");
  // Signing in from another site is refused too (login CSRF).
  ConsoleClient other(bot.admin_port());
  EXPECT_EQ(other.request("POST", "/api/v1/session", R"({"name":"bob","password":"bob's long password"})",
                          {{"Origin", "http://evil.example"}}).status, 403);
  // A forged cookie is no session.
  ConsoleClient forged(bot.admin_port());
  forged.cookie = std::string(64, 'f');
  EXPECT_EQ(forged.request("GET", "/api/v1/broadcasts/1").status, 401);
  forged.cookie = "../../etc";
  EXPECT_EQ(forged.request("GET", "/api/v1/broadcasts/1").status, 401);

  auto sent = browser.request("POST", "/api/v1/broadcasts", body);
  EXPECT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(redis.command({"HGET", "{broadcast}:1", "author"}), "bob") << "the broadcast is the signed-in person's";
  EXPECT_NE(audit().find("broadcast.create"), std::string::npos);
}

TEST_F(ConsoleSessionTest, DisablingAnAccountOrChangingItsPasswordEndsItsSessionsAtOnce) {
  ConsoleClient admin(bot.admin_port()), bob(bot.admin_port()), bob_elsewhere(bot.admin_port());
  ASSERT_EQ(admin.sign_in("alice", "correct horse battery").status, 200);
  ASSERT_EQ(bob.sign_in("bob", "bob's long password").status, 200);
  ASSERT_EQ(bob_elsewhere.sign_in("bob", "bob's long password").status, 200);
  EXPECT_EQ(bob.request("GET", "/api/v1/users").status, 403) << "staff do not manage accounts";

  auto reset = admin.request("PATCH", "/api/v1/users/bob", R"({"password":"a new long password"})");
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(bob.request("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(bob_elsewhere.request("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(bob.sign_in("bob", "bob's long password").status, 401);
  ASSERT_EQ(bob.sign_in("bob", "a new long password").status, 200);

  ASSERT_EQ(admin.request("PATCH", "/api/v1/users/bob", R"({"disabled":true})").status, 200);
  EXPECT_EQ(bob.request("GET", "/api/v1/session").status, 401);
  EXPECT_EQ(bob.sign_in("bob", "a new long password").status, 401) << "a disabled account answers like a wrong password";
  EXPECT_EQ(admin.request("PATCH", "/api/v1/users/alice", R"({"disabled":true})").status, 400) << "not yourself";

  auto users = admin.request("GET", "/api/v1/users");
  ASSERT_EQ(users.status, 200);
  EXPECT_NE(users.body.find(R"("name":"bob","role":"staff")"), std::string::npos) << users.body;
  EXPECT_NE(users.body.find(R"("disabled":true)"), std::string::npos) << users.body;
  EXPECT_EQ(users.body.find("scrypt"), std::string::npos) << "hashes never leave the bot";
  const std::string log = audit();
  for (const char* action : {"account.password", "account.disable"}) EXPECT_NE(log.find(action), std::string::npos) << action;
}

TEST_F(ConsoleSessionTest, AccountsAreRefusedWithAReasonForABadNameRoleOrPassword) {
  EXPECT_EQ(add_account("bob", "staff", "another long password").status, 409);
  for (auto [name, role, password, reason] :
       std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
           {"Bad Name", "staff", "a long enough password", "bad_name"},
           {"carol", "boss", "a long enough password", "bad_role"},
           {"carol", "staff", "short", "password_too_short"},
           {"carolcarol", "staff", "CarolCarol", "password_is_name"}}) {
    auto reply = add_account(name, role, password);
    EXPECT_EQ(reply.status, 400) << name;
    EXPECT_NE(reply.body.find("\"error\":\"" + reason + "\""), std::string::npos) << reply.body;
  }
  EXPECT_EQ(redis.command({"SCARD", "{accounts}:names"}), "2");
}

TEST_F(ConsoleSessionTest, EveryAnswerCarriesTheSecurityHeadersAndTheApiIsNeverCached) {
  ConsoleClient browser(bot.admin_port());
  for (const char* target : {"/api/v1/session", "/console/", "/api/v1/nothing"}) {
    auto reply = browser.request("GET", target);
    EXPECT_NE(reply.status, 0) << target;
    const std::string csp = reply.headers["content-security-policy"];
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << target;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << target;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << target;
    EXPECT_EQ(reply.headers["x-content-type-options"], "nosniff") << target;
    EXPECT_EQ(reply.headers["referrer-policy"], "no-referrer") << target;
    EXPECT_EQ(reply.headers["cache-control"], "no-store") << target;
  }
  auto root = browser.request("GET", "/");
  EXPECT_EQ(root.status, 302);
  EXPECT_EQ(root.headers["location"], "/console/");
}

TEST_F(ConsoleSessionTest, BotctlAddsAnAccountWithThePasswordFromStandardInput) {
  setenv("PERMIT_BOTCTL_TOKEN", kAdminToken.c_str(), 1);
  setenv("PERMIT_BOTCTL_API", ("http://127.0.0.1:" + std::to_string(bot.admin_port())).c_str(), 1);
  auto run = [](const std::string& input, const std::string& args) {
    ChildProcess child({"/bin/sh", "-c", "printf '" + input + "' | " + PERMIT_BOTCTL_BINARY + " " + args}, true);
    while (!child.read_line(30000).empty()) {
    }
    return child.wait();
  };
  EXPECT_EQ(run("a very long password\\n", "users add carol --role admin"), 0);
  EXPECT_EQ(run("short\\n", "users add dave --role staff"), 1) << "too short: refused";
  EXPECT_EQ(run("", "users add dave --role boss"), 2);
  EXPECT_EQ(run("", "users disable bob"), 0);
  unsetenv("PERMIT_BOTCTL_TOKEN");
  ConsoleClient browser(bot.admin_port());
  auto signed_in = browser.sign_in("carol", "a very long password");
  EXPECT_EQ(signed_in.status, 200) << signed_in.body;
  EXPECT_NE(signed_in.body.find("\"role\":\"admin\""), std::string::npos);
  EXPECT_EQ(redis.command({"HGET", "{accounts}:user:bob", "disabled"}), "1");
}

}  // namespace
}  // namespace permit::testing
