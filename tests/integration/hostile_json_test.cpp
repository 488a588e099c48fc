// JSON nested deeper than anyone writes it, at every door that reads JSON
// from outside: the admin API (a script checked, a draft saved, a publish)
// and the staff API. 140 KB of "[" used to overflow the recursive parser's
// stack and kill the bot; now each is a 4xx, and the bot keeps serving.

#include "bot/util/digest.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

namespace permit::testing {
namespace {

const std::string kAdmin = "ada-admin-token";
const std::string kStaff = "stella-staff-token";

TEST(HostileJson, DeeplyNestedBodiesAreRefusedAndTheBotStaysUp) {
  RedisServer redis;
  BotProcess bot(redis.url(),
                 {"--config", temp_config(R"("api_tokens": [{"name": "ada", "role": "admin", "sha256": ")" +
                                          util::sha256_hex(kAdmin) + R"("}, {"name": "stella", "role": "staff", )"
                                          R"("sha256": ")" + util::sha256_hex(kStaff) + R"("}])")});
  // The script store is seeded on first start; until then a draft is not checked.
  ASSERT_TRUE(eventually([&] {
    return bot_metric(bot.port(), "permit_script_release") == "1";
  })) << bot.log();
  auto api = [&](const std::string& method, const std::string& target, const std::string& token,
                 const std::string& body) { return http_request(bot.admin_port(), method, target, body, 0, token); };
  const std::string deep(140 * 1024, '[');
  const std::string deep_in_object = R"({"base": 1, "message": "m", "migrate": )" + deep + "}";
  struct Door {
    std::string method, target, token, body;
    int status;
  };
  for (const Door& door : {
           Door{"POST", "/api/v1/scripts/cqupt.json/validate", kAdmin, deep, 422},
           Door{"PUT", "/api/v1/scripts/cqupt.json/draft", kAdmin, deep, 422},
           Door{"POST", "/api/v1/scripts/publish", kAdmin, deep, 400},
           Door{"POST", "/api/v1/scripts/publish", kAdmin, deep_in_object, 400},
           Door{"POST", "/api/v1/scripts/rollback", kAdmin, deep, 400},
           Door{"POST", "/api/v1/broadcasts", kStaff, deep, 400},
           Door{"POST", "/api/v1/broadcasts", kStaff, R"({"audience": )" + deep + "}", 400},
       }) {
    auto reply = api(door.method, door.target, door.token, door.body);
    EXPECT_EQ(reply.status, door.status) << door.method << " " << door.target << ": " << reply.body << "\n"
                                         << bot.log();
    ASSERT_EQ(http_request(bot.port(), "GET", "/healthz").status, 200)
        << "the bot died on " << door.method << " " << door.target << "\n"
        << bot.log();
  }
  // Nothing was saved, and the webhook still answers.
  EXPECT_EQ(api("GET", "/api/v1/scripts/cqupt.json/draft", kAdmin, "").status, 404);
  WechatClient client(bot.port());
  EXPECT_NE(client.send_text("stu_json", 1, "hello").content.find("Which university"), std::string::npos);
}

}  // namespace
}  // namespace permit::testing
