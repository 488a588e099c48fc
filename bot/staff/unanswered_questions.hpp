#pragma once

#include "bot/redis/redis_client.hpp"
#include "bot/redis/stream_entries.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <utility>
#include <vector>

namespace permit::core {

// A question the bot could not answer, and how often it was asked. The
// dialog's effects put each one on {admin}:unanswered (EffectOutbox); the
// admins read them to see what the scripts are missing.
struct UnansweredQuestion {
  std::string university;
  std::string lang;
  std::string text;
  int count = 0;
};

// The stream's entries grouped by university, language and exact text,
// most asked first (ties in that order of university, language, text).
std::vector<UnansweredQuestion> group_unanswered(
    const std::vector<std::pair<std::string, redis::StreamFields>>& entries);

// The whole stream, grouped.
[[nodiscard]] boost::asio::awaitable<boost::system::result<std::vector<UnansweredQuestion>>> read_unanswered(
    redis::Client& redis);

}  // namespace permit::core
