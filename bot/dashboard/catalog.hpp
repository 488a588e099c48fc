#pragma once

#include "dialogs/script.hpp"

#include <string>

namespace permit::dashboard {

// What the console offers to choose from when it builds an audience: the
// universities (id, names) and each one's walkthrough steps (id, title), in
// walkthrough order (breadth first from the start, questions left out), as
// JSON: {"universities": [{"id", "name": {"en", "zh"}, "steps": [{"id",
// "title": {"en", "zh"}}]}]}.
std::string catalog_json(const dialogs::ScriptSet& scripts);

}  // namespace permit::dashboard
