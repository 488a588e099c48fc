#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace permit::redis {

struct NodeAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Where Redis Sentinel says the primary is.
struct SentinelOptions {
  std::vector<NodeAddress> sentinels;  // asked in turn
  std::string master_name;
  std::string user, password;          // the sentinels' own (empty: no AUTH)
  std::chrono::milliseconds timeout{500};  // per sentinel: connect, ask, answer
};

// Asks the sentinels in turn, each on a short connection of its own,
// `SENTINEL get-master-addr-by-name NAME`; the first that names a primary
// answers. A sentinel that is down, slow, refuses the password or does not
// know the name is passed over. Fails with Error::not_connected when none
// names one. The caller still checks (ROLE) that the node it names is a
// primary: a sentinel can be behind a failover by a few seconds.
boost::asio::awaitable<boost::system::result<NodeAddress>> ask_sentinels_for_primary(
    boost::asio::any_io_executor executor, SentinelOptions options);

}  // namespace permit::redis
