#include "dialogs/name_context.hpp"

#include <algorithm>
#include <iterator>

namespace permit::dialogs {
namespace {

constexpr std::string_view kComparing[] = {"like at ", "like ", "same as at ", "same as ", "than at ", "than ", "跟", "像"};
// "和" and "与" compare only with one of these right after the name; before
// a name they are mostly "and" ("东北师大和重邮的费用").
constexpr std::string_view kAnd[] = {"和", "与"};
constexpr std::string_view kAlike[] = {"一样", "相同", "不一样", "不同"};
constexpr std::string_view kFrom[] = {"from ", "from the ", "从"};

}  // namespace

NameContext name_context(std::string_view text, std::size_t named_at, std::size_t named_end) {
  const std::string_view before = text.substr(0, named_at), after = text.substr(named_end);
  std::string_view compare_word, alike;
  for (std::string_view w : kAlike)
    if (after.starts_with(w)) alike = w;
  for (std::string_view w : kComparing)
    if (before.ends_with(w)) compare_word = w;
  if (compare_word.empty() && !alike.empty())
    for (std::string_view w : kAnd)
      if (before.ends_with(w)) compare_word = w;
  NameContext out;
  out.compared = !compare_word.empty();
  out.came_from = named_as_origin(before);
  if (out.compared)
    out.without = std::string(before.substr(0, before.size() - compare_word.size())) + " " +
                  std::string(after.substr(alike.size()));
  return out;
}

bool named_as_origin(std::string_view before) {
  return std::any_of(std::begin(kFrom), std::end(kFrom), [&](std::string_view w) { return before.ends_with(w); });
}

}  // namespace permit::dialogs
