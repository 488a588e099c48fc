#pragma once

#include <string_view>

namespace permit::util {

// One line to stderr per event, whole even when threads log at once.
void log(std::string_view level, std::string_view message);

}  // namespace permit::util
