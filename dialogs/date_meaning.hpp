#pragma once

// What the words around a date say it is: the helpers deadlines.cpp shares
// with date_meaning.cpp (Turn::meaning_of, Turn::ask_meaning).

#include "dialogs/analysis.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/phrases.hpp"

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace permit::dialogs {

// The clause a date is in: between the punctuation marks around it (a
// full stop only before a space: not "No.6888", "2.5").
std::pair<std::size_t, std::size_t> clause_of(std::string_view text, const DateFound& date);

// The one kind of date the words found name, if they name only one.
std::optional<std::size_t> one_kind(const std::vector<PhraseIndex::Hit>& hits);

// "Today is dec 5", "it's dec 5 today", "今天是12月5号": a day near the
// calendar's said beside "today" names today, not a date of the student's.
// Where the words naming it begin; npos when they do not.
std::size_t names_today(std::string_view text, const DateFound& f, Date today);

// "is mine still valid on jan 10", "还有效吗", "还能用吗": a day asked of
// whether something still holds then.
bool asks_valid(std::string_view text);

}  // namespace permit::dialogs
