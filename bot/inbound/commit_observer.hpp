#pragma once

#include "dialogs/dialog.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::core {

// A message whose new state was just committed, for whoever keeps figures
// about them (the console's dashboard). Called on the I/O thread, once per
// committed message (not for a duplicate): it must be quick and must not
// block.
struct CommittedTurn {
  const std::string& openid;
  std::string_view before;  // the stored states, serialised
  std::string_view after;
  const std::vector<dialogs::Effect>& effects;
  std::int64_t unix_seconds;
};
using CommitObserver = std::function<void(const CommittedTurn&)>;

}  // namespace permit::core
