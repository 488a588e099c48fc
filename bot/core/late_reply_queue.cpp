#include "bot/core/late_reply_queue.hpp"

namespace permit::core {

boost::asio::awaitable<boost::system::result<void>> LateReplyQueue::push(const LateReply& reply) {
  std::vector<std::string> command{"XADD", kStream,          "*",       "openid", reply.openid,
                                   "dedupe", reply.dedupe_key, "content", reply.content};
  auto result = co_await redis_.exec(std::move(command));
  if (!result) co_return result.error();
  if (result->is_error()) co_return redis::Error::unexpected_reply;
  co_return boost::system::result<void>{};
}

}  // namespace permit::core
