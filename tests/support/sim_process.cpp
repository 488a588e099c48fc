#include "tests/support/sim_process.hpp"

#include "tests/support/wechat_client.hpp"

#include <rapidjson/document.h>

#include <atomic>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace permit::testing {

SimProcess::SimProcess(std::vector<std::string> extra_args) {
  std::vector<std::string> argv = {WECHAT_SIM_BINARY, "serve", "--secret", kSecret, "--appid", kAppId,
                                   "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = ChildProcess(argv, true);
  std::string line = process_.read_line(10000);
  auto colon = line.rfind(':');
  if (line.find("listening on") == std::string::npos || colon == std::string::npos)
    throw std::runtime_error("wechat-sim did not start: " + line);
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

void SimProcess::interaction(const std::string& openid) const {
  http_request(port_, "POST", "/sim/interaction", "{\"openid\":\"" + openid + "\"}");
}

void SimProcess::invalidate_token() const { http_request(port_, "POST", "/sim/invalidate-token", ""); }

void SimProcess::forget(const std::string& openid) const {
  http_request(port_, "POST", "/sim/forget", R"({"openid":")" + openid + R"("})");
}

void SimProcess::fail(const std::string& openid, int errcode, int times) const {
  http_request(port_, "POST", "/sim/fail",
               R"({"openid":")" + openid + R"(","errcode":)" + std::to_string(errcode) + R"(,"times":)" +
                   std::to_string(times) + "}");
}

std::string SimProcess::stable_token() const {
  rapidjson::Document token;
  token.Parse(http_request(port_, "POST", "/cgi-bin/stable_token",
                           R"({"grant_type":"client_credential","appid":")" + std::string(kAppId) + R"(","secret":")" +
                               kSecret + R"("})")
                  .body.c_str());
  return token.IsObject() && token.HasMember("access_token") ? token["access_token"].GetString() : "";
}

int SimProcess::send(const std::string& path, const std::string& body) const {
  const std::string token = stable_token();
  if (token.empty()) return -1;
  auto reply = http_request(port_, "POST", path + "?access_token=" + token, body);
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  return doc.IsObject() && doc.HasMember("errcode") ? doc["errcode"].GetInt() : -1;
}

int SimProcess::send_template(const std::string& openid, const std::string& template_id, const std::string& text,
                              const std::string& client_msg_id) const {
  return send("/cgi-bin/message/template/send", R"({"touser":")" + openid + R"(","template_id":")" + template_id +
                                                    R"(","data":{"content":{"value":")" + text +
                                                    R"("}},"client_msg_id":")" + client_msg_id + R"("})");
}

int SimProcess::send_custom(const std::string& openid, const std::string& text) const {
  return send("/cgi-bin/message/custom/send",
              R"({"touser":")" + openid + R"(","msgtype":"text","text":{"content":")" + text + R"("}})");
}

std::string SimProcess::calls() const { return http_request(port_, "GET", "/sim/calls").body; }

long SimProcess::quota_used(const std::string& access_token, const std::string& cgi_path) const {
  auto reply = http_request(port_, "POST", "/cgi-bin/openapi/quota/get?access_token=" + access_token,
                            R"({"cgi_path":")" + cgi_path + R"("})");
  rapidjson::Document doc;
  doc.Parse(reply.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("quota")) return -1;
  return static_cast<long>(doc["quota"]["used"].GetInt64());
}

std::string SimProcess::messages() const { return http_request(port_, "GET", "/sim/messages").body; }

int SimProcess::count(const std::string& openid, const std::string& kind, const std::string& text) const {
  rapidjson::Document doc;
  std::string body = messages();
  if (doc.Parse(body.c_str()).HasParseError() || !doc.IsArray()) return -1;
  int n = 0;
  for (const auto& m : doc.GetArray()) {
    if (std::string(m["touser"].GetString()) != openid || std::string(m["kind"].GetString()) != kind) continue;
    if (!text.empty() && std::string(m["content"].GetString()).find(text) == std::string::npos) continue;
    ++n;
  }
  return n;
}

std::string temp_config(const std::string& members) {
  static std::atomic<int> counter{0};
  std::string path = "/tmp/permit-bot-config-" + std::to_string(getpid()) + "-" + std::to_string(counter++) + ".json";
  std::ofstream out(path);
  out << R"({"wechat": {"token": ")" << kToken << R"(", "appid": ")" << kAppId << R"(", "aes_key": ")" << kAesKey
      << R"("}, "scripts": ")" << PERMIT_SOURCE_DIR << R"(/dialogs/scripts")" << (members.empty() ? "" : ", ")
      << members << "}";
  return path;
}

}  // namespace permit::testing
