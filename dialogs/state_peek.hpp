#pragma once

#include <string_view>

namespace permit::dialogs {

// The university and walkthrough node of a stored state, read without
// parsing it: the console's dashboard looks at both states of every
// committed message, and a full parse there would cost the webhook
// measurably. It relies on StudentState::serialise writing "u", then
// "pin" and "lang", then "node", all plain strings, before anything else
// (tests/unit/console_dashboard_test.cpp checks it against serialise).
// Empty views where the state has none, or is not in that shape.
struct PeekedPosition {
  std::string_view university, node;
};
PeekedPosition peek_position(std::string_view state);

}  // namespace permit::dialogs
