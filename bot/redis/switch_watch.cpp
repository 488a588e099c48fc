#include "bot/redis/switch_watch.hpp"

#include <sstream>

namespace permit::redis {

SwitchWatch::SwitchWatch(boost::asio::any_io_executor executor, const Options& options,
                         std::function<void(std::string)> on_switch) {
  auto shared = std::make_shared<std::function<void(std::string)>>(std::move(on_switch));
  for (const auto& sentinel : options.sentinel.sentinels) {
    Options watcher_options;
    watcher_options.host = sentinel.host;
    watcher_options.port = sentinel.port;
    watcher_options.user = options.sentinel.user;
    watcher_options.password = options.sentinel.password;
    watcher_options.connect_timeout = options.connect_timeout;
    watcher_options.command_timeout = options.command_timeout;
    auto watcher = std::make_unique<Client>(executor, std::move(watcher_options));
    watcher->subscribe("+switch-master", [shared, master = options.sentinel.master_name](std::string message) {
      if (auto primary = new_primary(message, master)) (*shared)(std::move(*primary));
    });
    watchers_.push_back(std::move(watcher));
  }
}

void SwitchWatch::start() {
  for (auto& watcher : watchers_) watcher->start();
}

boost::asio::awaitable<void> SwitchWatch::close(std::chrono::milliseconds deadline) {
  for (auto& watcher : watchers_) co_await watcher->close(deadline);
}

std::optional<std::string> SwitchWatch::new_primary(std::string_view message, std::string_view master) {
  std::istringstream fields{std::string(message)};
  std::string name, old_ip, old_port, new_ip, new_port;
  fields >> name >> old_ip >> old_port >> new_ip >> new_port;
  if (name != master || new_ip.empty() || new_port.empty()) return std::nullopt;
  return new_ip + ":" + new_port;
}

}  // namespace permit::redis
