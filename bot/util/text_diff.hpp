#pragma once

#include <string>

namespace permit::util {

// A unified diff (---/+++ header and @@ hunks, three lines of context) from
// `before` to `after`, line by line; "" when they are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_name,
                         const std::string& after_name);

}  // namespace permit::util
