#include "tests/support/bot_process.hpp"

#include "tests/support/wechat_client.hpp"

#include <chrono>
#include <thread>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace permit::testing {
namespace {

// A new, empty file of its own. (A name made of the pid could be an old
// log of an earlier process with the same pid, and the bot's stderr is
// appended to it.)
std::string temp_log_path() {
  char path[] = "/tmp/permit-bot-test-XXXXXX.log";
  const int fd = mkstemps(path, 4);
  if (fd < 0) throw std::runtime_error("cannot create a log file in /tmp");
  close(fd);
  return path;
}

}  // namespace

BotProcess::BotProcess(const std::string& redis_url, std::vector<std::string> extra_args) : log_path_(temp_log_path()) {
  std::vector<std::string> argv = {PERMIT_BOT_BINARY, "--config", std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json",
                                   "--listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--redis", redis_url};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = ChildProcess(argv, true, log_path_);
  // The bot prints the admin API's address, then its own once it accepts
  // connections.
  std::string line = process_.read_line(15000);
  if (auto at = line.find("admin api on "); at != std::string::npos) {
    admin_port_ = static_cast<std::uint16_t>(std::stoi(line.substr(line.rfind(':') + 1)));
    line = process_.read_line(15000);
  }
  auto colon = line.rfind(':');
  if (line.find("listening on") == std::string::npos || colon == std::string::npos)
    throw std::runtime_error("permit-bot did not start: " + read_file(log_path_));
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  // Like a load balancer, send traffic only once /readyz says Redis is up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (http_request(port_, "GET", "/readyz").status != 200) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("permit-bot never became ready: " + log());
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string BotProcess::log() const { return read_file(log_path_); }

RunResult run_bot(const std::vector<std::string>& args) {
  std::string log_path = temp_log_path();
  std::vector<std::string> argv = {PERMIT_BOT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess child(argv, false, log_path);
  int code = child.wait();
  RunResult result{code, read_file(log_path)};
  unlink(log_path.c_str());
  return result;
}

}  // namespace permit::testing
