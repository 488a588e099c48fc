#include "dialogs/state_peek.hpp"

namespace permit::dialogs {

PeekedPosition peek_position(std::string_view state) {
  // Walks the leading "key":"value" members, which serialise writes first
  // ("u", "pin", "lang", "node"), and stops at "node", at the first member
  // whose value is not a plain string, or at anything unexpected: a few
  // dozen bytes, whatever the state's size.
  PeekedPosition p;
  std::size_t at = 0;
  if (state.empty() || state[at++] != '{') return {};
  while (at < state.size() && state[at] == '"') {
    const auto key_end = state.find('"', at + 1);
    if (key_end == std::string_view::npos || key_end + 2 >= state.size() || state[key_end + 1] != ':' ||
        state[key_end + 2] != '"')
      return p;
    const std::string_view key = state.substr(at + 1, key_end - at - 1);
    const auto value_start = key_end + 3;
    const auto value_end = state.find('"', value_start);
    if (value_end == std::string_view::npos) return {};
    const std::string_view value = state.substr(value_start, value_end - value_start);
    if (value.find('\\') != std::string_view::npos) return p;  // ids never have escapes
    if (key == "u") p.university = value;
    if (key == "node") {
      p.node = value;
      return p;
    }
    at = value_end + 1;
    if (at >= state.size() || state[at] != ',') return p;
    ++at;
  }
  return p;
}

}  // namespace permit::dialogs
