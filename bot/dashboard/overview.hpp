#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace permit::dashboard {

// The dashboard's figures as JSON, read from what Tally keeps (never a
// SCAN: 30 day hashes, and per university 2 PFCOUNTs, a funnel hash and 3
// ZCOUNTs, all on one pipeline):
// {"today": DATE, "days": [{"date", "messages", "unanswered", "hours": [24]}]
//  (the last 30, oldest first), "universities": [{"id", "active_today",
//  "active_7d", "funnel": {NODE: N}, "deadlines": {"d7", "d14", "d30"}}]}
boost::asio::awaitable<boost::system::result<std::string>> overview_json(redis::Client& redis,
                                                                         std::vector<std::string> universities,
                                                                         std::int64_t now_unix);

}  // namespace permit::dashboard
