#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::redis {

// A subscription to +switch-master on every sentinel: when a failover
// ends, a connection to the old primary (which may still be up, and still
// take writes until the sentinels demote it) must be dropped at once, and
// the reconnect ask the sentinels again. Each watcher is a Client of its
// own (a sentinel takes AUTH, PING and SUBSCRIBE), so it reconnects by
// itself.
class SwitchWatch {
 public:
  // `on_switch` gets the new primary, "IP:PORT", each time a sentinel says
  // the primary of `options.sentinel.master_name` moved (once per
  // sentinel), on a watcher's thread.
  SwitchWatch(boost::asio::any_io_executor executor, const Options& options,
              std::function<void(std::string)> on_switch);

  void start();
  boost::asio::awaitable<void> close(std::chrono::milliseconds deadline);

  // "NAME OLD_IP OLD_PORT NEW_IP NEW_PORT": the new "IP:PORT" if NAME is
  // `master`.
  static std::optional<std::string> new_primary(std::string_view message, std::string_view master);

 private:
  std::vector<std::unique_ptr<Client>> watchers_;
};

}  // namespace permit::redis
