#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace permit::server {

// Why a connection got no slot.
enum class Refusal {
  full,          // every slot holds a request under way
  address_full,  // its address has its cap, every one of them with a request under way
};

// The connection slots of one listener, shared by the acceptor and every
// session (on any thread; one short lock). A connection waiting for a
// request (fresh, or kept alive between requests) holds its slot only until
// someone needs it: when the listener is full, the one that has waited
// longest gives way to a new connection. So idle sockets cannot lock the
// platform out; connections with a request under way are bounded by the
// request deadline and, per client address, by `per_address`.
class ConnectionSlots {
 public:
  using Id = std::uint64_t;

  struct Admission {
    Id id;
    // A waiting connection that gave up its slot for this one: it must be
    // closed. Its own start_request() now fails.
    std::optional<Id> evicted;
  };

  ConnectionSlots(std::size_t total, std::size_t per_address);

  // A slot for a new connection from `address`, which starts out waiting.
  // When the address has its cap, that address's longest-waiting connection
  // gives way; when the listener is full, the longest-waiting of all does.
  // Refused when nobody in the way is waiting.
  [[nodiscard]] boost::system::result<Admission, Refusal> admit(const boost::asio::ip::address& address);

  // The connection's request has begun to arrive. False when it was evicted
  // meanwhile: its slot is someone else's, and it must close.
  [[nodiscard]] bool start_request(Id id);
  // Its answer is out; it waits for the next request (and is now the most
  // recent to wait).
  void wait_for_request(Id id);
  // The connection has closed (evicted or not).
  void release(Id id);

  std::size_t in_use() const;
  // Slots whose connection has a request under way (not waiting for one).
  std::size_t under_way() const;

  // What the cap counts: an IPv4 address, or the /64 of an IPv6 one (one
  // host usually has a whole /64); an IPv4-mapped IPv6 address is its IPv4.
  static std::string address_key(const boost::asio::ip::address& address);

 private:
  struct PerAddress {
    std::size_t count = 0;
    std::list<Id> waiting;  // longest-waiting first
  };
  // A slot's entries in waiting_ and in its address's list are made once,
  // with the slot, and moved (spliced) between those lists and `parked` as
  // the connection starts and stops waiting: a kept-alive connection
  // does both on every request, and should not allocate for it.
  struct Slot {
    std::string address;
    PerAddress* per_address = nullptr;  // its entry in addresses_, there while the slot is
    std::list<Id> parked;               // the two entries, while not waiting
    std::list<Id>::iterator waiting;     // the entry for waiting_
    std::list<Id>::iterator by_address;  // the entry for that address's waiting list
    bool is_waiting = false;
  };

  void start_waiting(Slot& slot);
  void stop_waiting(Slot& slot);
  void forget(Id id);

  const std::size_t total_;
  const std::size_t per_address_;
  mutable std::mutex mutex_;
  Id next_id_ = 1;
  std::unordered_map<Id, Slot> slots_;
  std::unordered_map<std::string, PerAddress> addresses_;
  std::list<Id> waiting_;  // every waiting connection, longest-waiting first
};

}  // namespace permit::server
