#pragma once

#include "tests/support/process.hpp"
#include "tests/support/redis_server.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace permit::testing {

// Redis under Sentinel, as real processes on loopback: a primary, two
// replicas and three sentinels (redis-server --sentinel, which is what
// Debian's redis-sentinel runs) with quorum 2 and down-after 1 s, so that a
// failover takes a few seconds.
class SentinelCluster {
 public:
  static constexpr const char* kMaster = "permit";

  SentinelCluster();
  ~SentinelCluster();

  // redis+sentinel://127.0.0.1:S1,127.0.0.1:S2,127.0.0.1:S3/permit
  std::string url() const;
  RedisServer& node(int i) { return *nodes_[i]; }
  int node_count() const { return static_cast<int>(nodes_.size()); }
  // The node the sentinels name as primary and that says ROLE master; -1
  // while there is none.
  int primary() const;
  // Waits until a node other than `old` is the primary; returns it, or -1.
  int wait_for_new_primary(int old, std::chrono::seconds at_most) const;
  // SENTINEL FAILOVER: the primary is demoted while it runs, as an operator
  // does before taking its machine down.
  void fail_over() const;
  // Waits until every running replica has the primary's replication offset.
  bool replicas_caught_up(std::chrono::seconds at_most) const;

 private:
  std::string dir_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<std::uint16_t> sentinel_ports_;
  std::vector<ChildProcess> sentinels_;
};

}  // namespace permit::testing
