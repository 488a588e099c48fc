#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <vector>

namespace permit::core {

// Every admin and staff action, appended to a hash-chained Redis stream
// ({audit}:log): who, their role, when, what, on what, and the hashes of
// the thing before and after. Each entry carries the previous entry's hash
// and its own, SHA-256 over its fields and that link, so changing,
// dropping or reordering an entry breaks the chain from there on.
struct AuditEntry {
  std::string id;  // the stream entry id
  std::string who, role, action, target, before, after, time;
  std::string prev, hash;
};

struct AuditChain {
  std::vector<AuditEntry> entries;
  bool intact = true;
  std::string broken_at;  // the first entry that does not verify
  std::string problem;
};

class AuditLog {
 public:
  static constexpr const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

  explicit AuditLog(redis::Client& redis) : redis_(redis) {}

  // Appends after the current head; a concurrent append makes it re-read
  // the head and try again.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<AuditEntry>> append(AuditEntry entry);
  // After an action that has happened: appends, retrying for up to 2 s
  // while Redis is away. An entry that still cannot be written is logged in
  // full at "error", so the record survives in the process log; the action
  // is not undone.
  boost::asio::awaitable<void> record(AuditEntry entry);
  // An entry for an action: who did what to what, and the hashes of it
  // before and after.
  static AuditEntry entry(std::string who, std::string role, std::string action, std::string target,
                          std::string before, std::string after);

  // The whole log, checked link by link.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<AuditChain>> read();

  // The entry's own hash, from its fields and its link.
  static std::string hash_of(const AuditEntry& entry);

 private:
  [[nodiscard]] boost::asio::awaitable<boost::system::result<AuditEntry>> append_once(AuditEntry entry);

  redis::Client& redis_;
};

std::string audit_json(const AuditChain& chain);

}  // namespace permit::core
