#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace permit::dialogs {

class Engine;

// What the words right around a university's name say of it, in a message
// that names another university than the student's. The words are the
// scripts' (common.json: compared_to, compared_and, alike, came_from).
struct NameContext {
  // It is named to compare ("isnt it 400 like at nenu", "跟东师一样吗",
  // "和重邮一样要提前30天申请吗"): the question is the student's own.
  bool compared = false;
  // It is where the student came from ("i moved here from dongbei shifan").
  bool came_from = false;
  // With `compared`: the message without the name and its comparing words
  // ("要提前30天申请吗").
  std::string without;
};

// `text` is the normalised message; the name spans [named_at, named_end).
NameContext name_context(const Engine& engine, std::string_view text, std::size_t named_at, std::size_t named_end);

// Whether a name right after `before` is said as where one comes or sets
// out from ("from the dorm", "从东师").
bool named_as_origin(const Engine& engine, std::string_view before);

}  // namespace permit::dialogs
