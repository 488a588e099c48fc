#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>

namespace permit::redis {

// "Acknowledged means replicated": confirms with WAIT that the writes made
// so far on a Client's connection have reached `needed` replicas, before
// the bot acknowledges them to anyone.
//
// WAIT counts the writes of the connection it runs on, and only those: the
// caller takes a ticket before its writes, and confirm() refuses when the
// client has reconnected since (the writes went to a connection, maybe a
// primary, that is gone). WAIT also blocks that connection, with every
// command pipelined behind it, until the replicas answer: so it waits at
// most max_wait, which stays under the command timeout (a connection
// silent for a whole command timeout is dropped as stuck).
class ReplicaAcks {
 public:
  using Ticket = std::uint64_t;

  ReplicaAcks(Client& redis, int needed, std::chrono::milliseconds max_wait)
      : redis_(redis), needed_(needed), max_wait_(max_wait) {}

  int needed() const { return needed_; }
  Ticket ticket() const { return redis_.connection_serial(); }

  // Succeeds at once when no replica is needed. Otherwise fails with
  // Error::timeout when fewer than `needed` replicas confirmed by `deadline`
  // (or max_wait), with Error::connection_lost when the connection changed
  // since the ticket, or with the client's error.
  boost::asio::awaitable<boost::system::result<void>> confirm(Ticket ticket,
                                                              std::chrono::steady_clock::time_point deadline);
  // The same, waiting up to max_wait.
  boost::asio::awaitable<boost::system::result<void>> confirm(Ticket ticket) {
    return confirm(ticket, std::chrono::steady_clock::now() + max_wait_);
  }

 private:
  Client& redis_;
  int needed_;
  std::chrono::milliseconds max_wait_;
};

}  // namespace permit::redis
