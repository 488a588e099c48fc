#pragma once

#include "bot/redis/redis_client.hpp"
#include "dialogs/student_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <functional>
#include <string>

namespace permit::core {

// Visits every student's stored conversation state ({u:OPENID}:conv, field
// "s") with SCAN, so Redis is never blocked; `visit` returns false to stop.
// A student added or removed during the walk may or may not be seen.
using StateVisitor = std::function<bool(const std::string& openid, const dialogs::StudentState& state)>;

boost::asio::awaitable<boost::system::result<void>> for_each_student_state(redis::Client& redis, StateVisitor visit);

}  // namespace permit::core
