#pragma once

#include "dialogs/dialog.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string_view>

namespace permit::core {

// Answers a student: picks the dialog for their state (loading what it
// needs first), then runs it.
class DialogSource {
 public:
  virtual ~DialogSource() = default;
  virtual boost::asio::awaitable<dialogs::Outcome> respond(std::string_view state, const dialogs::Inbound& message,
                                                           std::chrono::system_clock::time_point now) = 0;
};

}  // namespace permit::core
