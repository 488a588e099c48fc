#pragma once

#include "bot/redis/redis_client.hpp"
#include "bot/util/concurrently.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <vector>

namespace permit::redis {

// Runs the commands at once, so they share the connection's pipeline (one
// round trip instead of one each), and returns their results in order.
inline boost::asio::awaitable<std::vector<Result>> exec_all(Client& redis,
                                                            std::vector<std::vector<std::string>> commands) {
  std::vector<Result> results(commands.size());
  std::vector<boost::asio::awaitable<void>> tasks;
  tasks.reserve(commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i)
    tasks.push_back(util::assign_from(redis.exec(std::move(commands[i])), results[i]));
  co_await util::run_concurrently(std::move(tasks));
  co_return results;
}

}  // namespace permit::redis
