#pragma once

#include "bot/redis/redis_client.hpp"
#include "bot/server/http_types.hpp"
#include "dialogs/script.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>

namespace permit::handlers {

// What the console reads besides the staff API (staff and admins):
//   GET /api/v1/console/catalog   universities and their walkthrough steps
//   GET /api/v1/broadcasts        the 50 most recent broadcasts
//   GET /api/v1/dashboard         the dashboard's figures (dashboard::overview_json)
class ConsoleApi {
 public:
  // scripts: the scripts served now.
  ConsoleApi(redis::Client& redis, std::function<std::shared_ptr<const dialogs::ScriptSet>()> scripts)
      : redis_(redis), scripts_(std::move(scripts)) {}

  static bool serves(const server::Request& request);
  boost::asio::awaitable<server::Response> handle(server::Request request);

 private:
  redis::Client& redis_;
  std::function<std::shared_ptr<const dialogs::ScriptSet>()> scripts_;
};

}  // namespace permit::handlers
