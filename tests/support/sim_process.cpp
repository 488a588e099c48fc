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
