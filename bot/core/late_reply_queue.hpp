#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace permit::core {

struct LateReply {
  std::string openid;
  std::string dedupe_key;
  std::string content;
};

// The seam to the outbound sender: a reply that missed the platform's
// passive-reply budget is appended to a Redis stream, and the sender (any
// instance) delivers it through the customer-service API.
class LateReplyQueue {
 public:
  static constexpr const char* kStream = "{outbound}:late-replies";

  explicit LateReplyQueue(redis::Client& redis) : redis_(redis) {}

  boost::asio::awaitable<boost::system::result<void>> push(const LateReply& reply);

 private:
  redis::Client& redis_;
};

}  // namespace permit::core
