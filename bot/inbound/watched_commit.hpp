#pragma once

#include "bot/inbound/conversation_store.hpp"
#include "bot/redis/redis_client.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace permit::core {

// A message's commit: the keys, and the fields as the commit functions
// take them (conversation_store.cpp).
struct CommitRequest {
  std::string conversation;  // key of the conversation hash
  std::string outbox;        // key of the effect outbox
  std::string expected, next, slot, state, reply, dedupe, ttl, now, day;
  std::vector<std::string> effects;  // outbox entries, if any
};

// The common commit without a script: an optimistic transaction on a
// connection of its own. The messages that wait while one transaction is
// out go together in the next (a group commit):
//   1. WATCH their conversation hashes; HMGET v, e, h of each;
//   2. MULTI; for each whose version is the expected one and whose hash
//      holds no held message's mark: HSET of the state, the reply in the
//      ring, the version; EXPIRE when the day changed; the effects; EXEC.
// If any watched hash was written by anyone between 1 and 2 (another
// instance, a held message), Redis refuses the whole EXEC, and those
// messages go back to the caller undecided, for the commit function; a
// hash at another version is a conflict, as with the function. The two
// steps cost Redis about half the function's instructions per message
// (bench/README.md, "The commit without a script").
class WatchedCommit {
 public:
  // `redis` is used by this alone: WATCH belongs to its connection.
  WatchedCommit(boost::asio::any_io_executor executor, redis::Client& redis);

  // The commit's result; nothing when it was not decided here (the caller
  // commits by the function); an error when Redis could not be asked or
  // did not answer (the outcome of a transaction sent is then unknown, as
  // with a function call that timed out).
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<CommitResult>>> commit(
      const CommitRequest& message);

  // Transactions sent, and refused by Redis because a watched hash moved
  // (for /metrics and the tests).
  std::uint64_t transactions() const { return transactions_.load(); }
  std::uint64_t refused() const { return refused_.load(); }

  // Tests only: runs between the two steps of every transaction (on the
  // group's strand, before the second is sent), to write in between.
  void between_steps_for_tests(std::function<void()> hook) { between_steps_ = std::move(hook); }

 private:
  struct Outcome {
    bool decided = false;
    CommitResult result;
  };
  using Done = boost::asio::any_completion_handler<void(boost::system::error_code, Outcome)>;
  struct Waiting {
    const CommitRequest* message;
    Done done;
  };
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> send(std::vector<Waiting> group);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  redis::Client& redis_;
  std::deque<Waiting> waiting_;
  bool running_ = false;
  std::atomic<std::uint64_t> transactions_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::function<void()> between_steps_;
};

}  // namespace permit::core
