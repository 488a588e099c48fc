#pragma once

#include "dialogs/dialog.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace permit::core {

// Answers a student: picks the dialog for their state (loading what it
// needs first), then runs it.
class DialogSource {
 public:
  virtual ~DialogSource() = default;
  // A state that cannot be read, or a new one too large to read back, is
  // kept as it was (Outcome::kept). `parsed`, when not null, is `state`
  // already read (Outcome::parsed of the turn that wrote it).
  virtual boost::asio::awaitable<dialogs::Outcome> respond(std::string_view state,
                                                           const dialogs::StudentState* parsed,
                                                           const dialogs::Inbound& message,
                                                           std::chrono::system_clock::time_point now) = 0;
  // The turn that keeps the stored state, when the dialog failed.
  virtual dialogs::Outcome keep(std::string_view state, const dialogs::Inbound& message, std::string why) = 0;
};

}  // namespace permit::core
