// wechat-sim's platform API on a controlled clock: the anti-reentry key of
// template sends (client_msg_id, 10 minutes), the API quota query and the
// per-openid answers.

#include "tools/wechat_sim/platform_api.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace permit::sim {
namespace {

using namespace std::chrono_literals;

class SimApiTest : public ::testing::Test {
 protected:
  SimApiTest() : api({.appid = "wxapp", .secret = "s3cret"}, [this] { return now; }) {
    token = field(call("/cgi-bin/stable_token",
                       R"({"grant_type":"client_credential","appid":"wxapp","secret":"s3cret"})"),
                  "access_token");
  }

  rapidjson::Document call(const std::string& path, const std::string& body) {
    server::Request request{server::http::verb::post, path, 11};
    request.body() = body;
    auto response = api.handle(request);
    rapidjson::Document doc;
    doc.Parse(response.body().c_str());
    return doc;
  }
  static std::string field(const rapidjson::Document& doc, const char* name) {
    return doc.IsObject() && doc.HasMember(name) && doc[name].IsString() ? doc[name].GetString() : "";
  }
  static int errcode(const rapidjson::Document& doc) {
    return doc.IsObject() && doc.HasMember("errcode") ? doc["errcode"].GetInt() : -999;
  }
  rapidjson::Document send_template(const std::string& openid, const std::string& client_msg_id) {
    std::string body = R"({"touser":")" + openid + R"(","template_id":"tpl","data":{"content":{"value":"hi"}})";
    if (!client_msg_id.empty()) body += R"(,"client_msg_id":")" + client_msg_id + "\"";
    return call("/cgi-bin/message/template/send?access_token=" + token, body + "}");
  }

  std::chrono::system_clock::time_point now = std::chrono::system_clock::time_point(1'800'000'000s);
  PlatformApi api;
  std::string token;
};

TEST_F(SimApiTest, ARepeatedClientMsgIdWithinTenMinutesSucceedsWithoutASecondMessage) {
  auto first = send_template("stu_a", "k1");
  ASSERT_EQ(errcode(first), 0);
  const auto msgid = first["msgid"].GetUint64();
  now += 9min;
  auto repeat = send_template("stu_a", "k1");
  EXPECT_EQ(errcode(repeat), 0);
  EXPECT_EQ(repeat["msgid"].GetUint64(), msgid) << "the repeat is answered as the first send";
  EXPECT_EQ(api.records().size(), 1u);
  // Another student, or another key, is another message.
  EXPECT_EQ(errcode(send_template("stu_b", "k1")), 0);
  EXPECT_EQ(errcode(send_template("stu_a", "k2")), 0);
  EXPECT_EQ(api.records().size(), 3u);
  EXPECT_EQ(api.records()[0].client_msg_id, "k1");
  // Ten minutes after the first send the key is spent: a new message.
  now += 1min;
  EXPECT_EQ(errcode(send_template("stu_a", "k1")), 0);
  EXPECT_EQ(api.records().size(), 4u);
  // Without a key every send is a message.
  send_template("stu_a", "");
  send_template("stu_a", "");
  EXPECT_EQ(api.records().size(), 6u);
  EXPECT_EQ(errcode(send_template("stu_a", std::string(65, 'x'))), 40003);
}

TEST_F(SimApiTest, AFailedSendDoesNotSpendTheKey) {
  call("/sim/unsubscribe", R"({"openid":"stu_u"})");
  EXPECT_EQ(errcode(send_template("stu_u", "k")), 43004);
  call("/sim/interaction", R"({"openid":"stu_u"})");
  EXPECT_EQ(errcode(send_template("stu_u", "k")), 0);
  EXPECT_EQ(api.records().size(), 1u);
}

TEST_F(SimApiTest, ForgottenOrFailingOpenidsGetTheirErrcode) {
  call("/sim/forget", R"({"openid":"stu_gone"})");
  call("/sim/fail", R"({"openid":"stu_busy","errcode":-1})");
  EXPECT_EQ(errcode(send_template("stu_gone", "k")), 40003);
  EXPECT_EQ(errcode(send_template("stu_busy", "k")), -1);
  EXPECT_EQ(errcode(send_template("stu_fine", "k")), 0);
  EXPECT_EQ(api.records().size(), 1u);
}

TEST_F(SimApiTest, TheQuotaQueryCountsCallsPerApi) {
  send_template("stu_q", "");
  send_template("stu_q", "");
  call("/cgi-bin/stable_token", R"({"grant_type":"client_credential","appid":"wxapp","secret":"s3cret"})");
  auto quota = [&](const std::string& cgi) {
    auto doc = call("/cgi-bin/openapi/quota/get?access_token=" + token, R"({"cgi_path":")" + cgi + "\"}");
    EXPECT_EQ(errcode(doc), 0);
    return doc["quota"]["used"].GetInt64();
  };
  EXPECT_EQ(quota("/cgi-bin/message/template/send"), 2);
  EXPECT_EQ(quota("/cgi-bin/stable_token"), 2);
  EXPECT_EQ(quota("/cgi-bin/message/custom/send"), 0);
  EXPECT_EQ(errcode(call("/cgi-bin/openapi/quota/get?access_token=bad", R"({"cgi_path":"/x"})")), 40001);
}

}  // namespace
}  // namespace permit::sim
