#include "tests/support/sentinel_cluster.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace permit::testing {
namespace {

std::int64_t field(const std::string& info, const std::string& name) {
  auto at = info.find(name + ":");
  return at == std::string::npos ? -1 : std::atoll(info.c_str() + at + name.size() + 1);
}

}  // namespace

SentinelCluster::SentinelCluster() {
  char tmpl[] = "/tmp/permit-sentinels-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  nodes_.push_back(std::make_unique<RedisServer>());
  RedisServer::Options replica;
  replica.replica_of = nodes_[0]->port();
  for (int i = 0; i < 2; ++i) nodes_.push_back(std::make_unique<RedisServer>(replica));
  for (int i = 0; i < 3; ++i) {
    // A port found free may be taken by another test's server before the
    // sentinel binds it (tests run in parallel): the sentinel then exits,
    // or the port answers as a plain Redis. Another port is tried.
    for (int attempt = 1;; ++attempt) {
      const std::uint16_t port = free_port();
      // Sentinel rewrites its config file as it learns: one of its own.
      const std::string conf = dir_ + "/sentinel-" + std::to_string(i) + ".conf";
      std::ofstream(conf) << "port " << port << "\nbind 127.0.0.1\ndaemonize no\n"
                          << "logfile " << dir_ << "/sentinel-" << i << ".log\n"
                          << "sentinel monitor " << kMaster << " 127.0.0.1 " << nodes_[0]->port() << " 2\n"
                          << "sentinel down-after-milliseconds " << kMaster << " 1000\n"
                          << "sentinel failover-timeout " << kMaster << " 4000\n"
                          << "sentinel parallel-syncs " << kMaster << " 2\n";
      ChildProcess sentinel(std::vector<std::string>{"redis-server", conf, "--sentinel"}, false);
      const auto started = std::chrono::steady_clock::now();
      std::string mode;
      while (!sentinel.ended() && std::chrono::steady_clock::now() - started < std::chrono::seconds(5)) {
        mode = redis_command_at(port, {"INFO", "server"});
        if (mode.find("redis_mode:") != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (mode.find("redis_mode:sentinel") != std::string::npos) {
        sentinels_.push_back(std::move(sentinel));
        sentinel_ports_.push_back(port);
        break;
      }
      if (sentinel.running()) {
        sentinel.signal(SIGTERM);
        sentinel.wait();
      }
      if (attempt == 5) throw std::runtime_error("sentinel " + std::to_string(i) + " did not start (see " + dir_ + ")");
    }
  }
  // Ready when both replicas have synchronised and acknowledged an offset
  // (until then WAIT counts none of them), and every sentinel names the
  // primary and sees both. (After a diskless full sync the primary marks a
  // replica online at once but streams to it, and counts it for WAIT, only
  // from its first REPLCONF ACK, up to a second later: a bot's first
  // message in that second was refused for want of a replica.)
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (true) {
    const std::string info = nodes_[0]->command({"INFO", "replication"});
    int acknowledged = 0;
    for (auto at = info.find("state=online"); at != std::string::npos; at = info.find("state=online", at + 1)) {
      const auto offset = info.find("offset=", at);
      if (offset != std::string::npos && std::atoll(info.c_str() + offset + 7) > 0) ++acknowledged;
    }
    if (acknowledged == 2) break;
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the replicas did not synchronise: " + info);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto port : sentinel_ports_) {
    while (true) {
      const std::string master = redis_command_at(port, {"SENTINEL", "get-master-addr-by-name", kMaster});
      const std::string replicas = redis_command_at(port, {"SENTINEL", "replicas", kMaster});
      int seen = 0;
      for (auto at = replicas.find("\nflags\nslave\n"); at != std::string::npos; at = replicas.find("\nflags\nslave\n", at + 1))
        ++seen;
      if (master == "127.0.0.1\n" + std::to_string(nodes_[0]->port()) && seen == 2) break;
      if (std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("the sentinels did not come up (see " + dir_ + "): " + master + " / " + replicas);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  // And the primary streams to them: after a diskless full sync a replica
  // may ack the sync's offset for a while before it gets anything newer
  // (seen: both replicas at offset 815, lag 0, with the primary at 1446
  // from the sentinels' hello messages), and WAIT counts none of them
  // until then. Caught up with a write made now (a PUBLISH goes down the
  // replication stream and leaves no key), it is streaming.
  nodes_[0]->command({"PUBLISH", "permit-test:ready", "1"});
  if (!replicas_caught_up(std::chrono::seconds(20)))
    throw std::runtime_error("the replicas do not follow the primary (see " + dir_ + ")");
}

SentinelCluster::~SentinelCluster() {
  for (auto& s : sentinels_) {
    s.signal(SIGTERM);
    s.wait();
  }
  nodes_.clear();
  if (std::getenv("PERMIT_KEEP_REDIS_DIR") != nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string SentinelCluster::url() const {
  std::string hosts;
  for (auto port : sentinel_ports_) hosts += (hosts.empty() ? "" : ",") + std::string("127.0.0.1:") + std::to_string(port);
  return "redis+sentinel://" + hosts + "/" + kMaster;
}

int SentinelCluster::primary() const {
  const std::string named = redis_command_at(sentinel_ports_[0], {"SENTINEL", "get-master-addr-by-name", kMaster});
  for (int i = 0; i < node_count(); ++i) {
    if (!nodes_[i]->running() || named != "127.0.0.1\n" + std::to_string(nodes_[i]->port())) continue;
    if (nodes_[i]->command({"ROLE"}).starts_with("master")) return i;
  }
  return -1;
}

int SentinelCluster::wait_for_new_primary(int old, std::chrono::seconds at_most) const {
  const auto deadline = std::chrono::steady_clock::now() + at_most;
  while (std::chrono::steady_clock::now() < deadline) {
    if (int now = primary(); now >= 0 && now != old) return now;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

void SentinelCluster::fail_over() const {
  const std::string answer = redis_command_at(sentinel_ports_[0], {"SENTINEL", "FAILOVER", kMaster});
  if (answer != "OK") throw std::runtime_error("SENTINEL FAILOVER: " + answer);
}

bool SentinelCluster::replicas_caught_up(std::chrono::seconds at_most) const {
  const auto deadline = std::chrono::steady_clock::now() + at_most;
  while (std::chrono::steady_clock::now() < deadline) {
    const int p = primary();
    if (p >= 0) {
      const auto offset = field(nodes_[p]->command({"INFO", "replication"}), "master_repl_offset");
      bool all = true;
      for (int i = 0; i < node_count(); ++i)
        if (i != p && nodes_[i]->running())
          all = all && field(nodes_[i]->command({"INFO", "replication"}), "slave_repl_offset") >= offset;
      if (all) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace permit::testing
