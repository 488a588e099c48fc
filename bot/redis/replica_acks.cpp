#include "bot/redis/replica_acks.hpp"

#include <algorithm>

namespace permit::redis {

boost::asio::awaitable<boost::system::result<void>> ReplicaAcks::confirm(Ticket ticket,
                                                                        std::chrono::steady_clock::time_point deadline) {
  if (needed_ <= 0) co_return boost::system::result<void>{};
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  // WAIT 0 would wait for ever.
  const auto wait = std::clamp(left, std::chrono::milliseconds(1), max_wait_);
  if (redis_.connection_serial() != ticket) co_return Error::connection_lost;
  std::vector<std::string> command{"WAIT", std::to_string(needed_), std::to_string(wait.count())};
  auto acked = co_await redis_.exec(std::move(command));
  if (!acked) co_return acked.error();
  if (acked->is_error()) co_return Error::unexpected_reply;
  if (redis_.connection_serial() != ticket) co_return Error::connection_lost;
  if (acked->integer < needed_) co_return Error::timeout;
  co_return boost::system::result<void>{};
}

}  // namespace permit::redis
