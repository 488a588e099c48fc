#include "dialogs/name_context.hpp"

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"

#include <algorithm>

namespace permit::dialogs {
namespace {

// The longest of `words` that `text` ends with, as a whole word when it is
// Latin ("like", not "unlike"); "" when none. (The lists are normalised, so
// without the space the text may hold after them.)
std::string_view word_at_end(std::string_view text, const std::vector<std::string>& words) {
  while (text.ends_with(' ')) text.remove_suffix(1);
  std::string_view found;
  for (std::string_view w : words)
    if (w.size() > found.size() && text.ends_with(w) &&
        (text.size() == w.size() || !latin_letter_at(text, text.size() - w.size() - 1)))
      found = w;
  return found;
}

}  // namespace

NameContext name_context(const Engine& engine, std::string_view text, std::size_t named_at, std::size_t named_end) {
  std::string_view before = text.substr(0, named_at);
  const std::string_view after = text.substr(named_end);
  std::string_view alike;
  for (std::string_view w : engine.listed(Words::alike))
    if (w.size() > alike.size() && after.starts_with(w)) alike = w;
  std::string_view compare_word = word_at_end(before, engine.listed(Words::compared_to));
  // "和" and "与" compare only with "一样" or the like right after the name;
  // before a name they are mostly "and" ("东北师大和重邮的费用").
  if (compare_word.empty() && !alike.empty()) compare_word = word_at_end(before, engine.listed(Words::compared_and));
  NameContext out;
  out.compared = !compare_word.empty();
  out.came_from = named_as_origin(engine, before);
  if (out.compared) {
    while (before.ends_with(' ')) before.remove_suffix(1);
    out.without = std::string(before.substr(0, before.size() - compare_word.size())) + " " +
                  std::string(after.substr(alike.size()));
  }
  return out;
}

bool named_as_origin(const Engine& engine, std::string_view before) {
  return !word_at_end(before, engine.listed(Words::came_from)).empty();
}

}  // namespace permit::dialogs
