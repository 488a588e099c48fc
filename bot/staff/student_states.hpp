#pragma once

#include "bot/redis/redis_client.hpp"
#include "dialogs/student_state.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace permit::core {

// The students' stored conversations ({u:OPENID}:conv: state "s", last
// message time "t"), walked with SCAN so Redis is never blocked. A student
// added or removed during the walk may or may not be seen.
struct StatePage {
  struct Row {
    std::string openid;
    std::string state;          // the state's JSON
    std::int64_t last_seen = 0; // unix seconds of the student's last message; 0 unknown
  };
  std::string next_cursor;  // "0" after the last page
  std::vector<Row> rows;
};

// One SCAN page, its states read at once on the pipeline.
boost::asio::awaitable<boost::system::result<StatePage>> read_state_page(redis::Client& redis, std::string cursor);

// Every student's state, in no particular order.
using StateVisitor = std::function<void(dialogs::StudentState state)>;
boost::asio::awaitable<boost::system::result<void>> for_each_student_state(redis::Client& redis, StateVisitor visit);

}  // namespace permit::core
