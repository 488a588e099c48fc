#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace permit::dialogs {

// Where something is in a text: 1-based line and column (in characters).
struct TextPosition {
  int line = 1;
  int column = 1;
};

TextPosition position_at(std::string_view text, std::size_t offset);

// Where the value a JSON pointer names is in a JSON text: the member's key,
// or the element itself. A pointer to something absent (a missing member)
// gives its nearest present ancestor. The text need not be valid JSON past
// that point.
TextPosition locate(std::string_view json, const std::string& pointer);

}  // namespace permit::dialogs
