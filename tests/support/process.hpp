#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace permit::testing {

// A child process started with posix_spawn; stdout may be captured through
// a pipe. The destructor kills it if it is still running.
class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const std::vector<std::string>& argv, bool capture_stdout, const std::string& stderr_path = "");
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Reads one line of the child's stdout; empty if it closed first or the
  // deadline passed.
  std::string read_line(int timeout_ms);
  void signal(int sig) const;
  // Waits for the child and returns its exit status (or 128+signal).
  int wait();
  // Whether it has ended (reaped here if so), without waiting.
  bool ended();

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string pending_;
};

std::uint16_t free_port();

// The whole file, bytes as they are ("" when it cannot be read).
std::string read_file(const std::string& path);

}  // namespace permit::testing
