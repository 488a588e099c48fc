#include "dialogs/state_peek.hpp"

namespace permit::dialogs {
namespace {

// The value of "key":"VALUE" within `head`, if VALUE has no escapes.
std::string_view plain_string(std::string_view head, std::string_view key) {
  const auto at = head.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = head.find('"', start);
  if (end == std::string_view::npos) return {};
  const std::string_view value = head.substr(start, end - start);
  return value.find('\\') == std::string_view::npos ? value : std::string_view{};
}

}  // namespace

PeekedPosition peek_position(std::string_view state) {
  if (!state.starts_with('{')) return {};
  // Only the top-level plain members come before the first nested value.
  std::string_view head = state.substr(1);
  head = head.substr(0, head.find_first_of("{["));
  PeekedPosition p;
  if (head.starts_with("\"u\":\"")) p.university = plain_string(head, "\"u\":\"");
  p.node = plain_string(head, ",\"node\":\"");
  if (p.node.empty() && head.starts_with("\"node\":\"")) p.node = plain_string(head, "\"node\":\"");
  return p;
}

}  // namespace permit::dialogs
