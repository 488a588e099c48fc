#pragma once

#include "tests/support/process.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace permit::testing {

// A real redis-server on a free loopback port, in its own temp directory.
// It can be killed and restarted on the same port with the same data.
class RedisServer {
 public:
  // How the server persists writes. `always` is the only setting under which
  // a killed redis-server keeps every write it acknowledged: with
  // `everysec`, Redis may reply before writing the AOF while an earlier
  // fsync is still running.
  enum class Durability { memory_only, aof_everysec, aof_always };

  struct Options {
    Durability durability = Durability::memory_only;
    std::string password;
    std::uint16_t replica_of = 0;  // a replica of the server on this port (0: a primary)
  };

  RedisServer() : RedisServer(Options{}) {}
  explicit RedisServer(Options options);
  ~RedisServer();

  void start();  // returns once the server answers PING
  void kill();   // SIGKILL: no shutdown save
  void signal(int sig) const { process_.signal(sig); }  // SIGSTOP, SIGCONT: a partition
  void stop();   // SIGTERM and wait

  // Freezes the server for `seconds` (DEBUG SLEEP) and returns once it is
  // certainly frozen; the returned object waits for the end of the freeze
  // when it is destroyed (or joined).
  class Stall {
   public:
    explicit Stall(std::thread waiter) : waiter_(std::move(waiter)) {}
    Stall(Stall&&) = default;
    ~Stall() { join(); }
    void join() {
      if (waiter_.joinable()) waiter_.join();
    }

   private:
    std::thread waiter_;
  };
  Stall stall(double seconds) const;

  std::uint16_t port() const { return port_; }
  std::string url() const;
  // False after kill() or stop(), until start().
  bool running() const { return process_.running(); }

  // A blocking command for assertions; returns the reply rendered as text
  // (strings as is, integers in decimal, nil as "(nil)", arrays joined by
  // '\n', errors prefixed "ERR:").
  std::string command(const std::vector<std::string>& args) const;

  // The databases that hold keys (INFO keyspace), and every key of one of
  // them (SCAN, each key once). Both throw if the server cannot be asked.
  std::vector<int> databases_in_use() const;
  std::vector<std::string> keys(int db) const;

 private:
  // Starts the server; false if it exited before answering.
  bool launch();

  Options options_;
  std::uint16_t port_;
  std::string dir_;
  ChildProcess process_;
};

// command() for the Redis (or sentinel) on a loopback port, no password.
std::string redis_command_at(std::uint16_t port, const std::vector<std::string>& args);

}  // namespace permit::testing

namespace permit::testing {

// How many text messages the dialog has counted for a student, read from the
// stored state ("messages": N); -1 if there is no state.
inline int messages_in_state(const RedisServer& redis, const std::string& openid) {
  std::string state = redis.command({"HGET", "{u:" + openid + "}:conv", "s"});
  auto at = state.find("\"messages\":");
  if (at == std::string::npos) return -1;
  return std::atoi(state.c_str() + at + 11);
}

}  // namespace permit::testing
