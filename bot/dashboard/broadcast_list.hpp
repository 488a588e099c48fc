#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>

namespace permit::dashboard {

// The most recent broadcasts, newest first, as JSON for the console's list:
// {"broadcasts": [{"id", "status", "author", "created_at", "send_at",
// "audience", "audience_size", "queued", "sent", "skipped", "failed",
// "cancelled", "text_en", "text_zh"}]}. Ids are sequential
// ({broadcast}:seq), so this reads `limit` hashes at once and never scans.
boost::asio::awaitable<boost::system::result<std::string>> recent_broadcasts_json(redis::Client& redis, int limit);

}  // namespace permit::dashboard
