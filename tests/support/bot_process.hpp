#pragma once

#include "tests/support/process.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace permit::testing {

// The built permit-bot binary on a free port, with the repository's config
// and the given Redis. Its stderr goes to a log file that failures print.
class BotProcess {
 public:
  explicit BotProcess(const std::string& redis_url, std::vector<std::string> extra_args = {});

  std::uint16_t port() const { return port_; }
  std::uint16_t admin_port() const { return admin_port_; }
  void signal(int sig) const { process_.signal(sig); }
  int wait() { return process_.wait(); }
  std::string log() const;

 private:
  std::string log_path_;
  ChildProcess process_;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
};

// Runs the binary to completion with the given arguments; returns its exit
// code and what it printed on stderr.
struct RunResult {
  int exit_code;
  std::string stderr_text;
};
RunResult run_bot(const std::vector<std::string>& args);

}  // namespace permit::testing
