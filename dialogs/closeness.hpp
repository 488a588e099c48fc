#pragma once

// How close behind the ranker's top entry another must be for a rule of
// the conversation to prefer it (answers.cpp, deadlines.cpp). Chosen on the
// question sets (tests/devset).

#include "dialogs/engine.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <vector>

namespace permit::dialogs {

// Words in a question that need an answer of their own when they are not
// explained by its attribute or thing: a handful mean "more than
// attribute of thing".
constexpr int kLeftoverForContext = 0;
constexpr int kLeftoverForPointer = 1;
constexpr int kLeftoverAtMost = 3;
// Progress told ("got the form from the police station", "just got my
// passport back with the new permit"): a few words beside the things done
// say what of them was got, and that it was.
constexpr int kLeftoverForProgress = 3;
// "What do I do now?", "我现在第一步该做什么", "现在该干嘛" right after
// an answer of numbered steps: "now", "现在", "第一步" are all they add.
constexpr int kLeftoverWhatToDo = 2;
// A follow-up of this many words or more with no "it" is a question of its
// own when an entry about another place answers it.
constexpr std::size_t kWordsOfItsOwn = 6;
// How close behind the top entry the place just talked about must be for a
// follow-up to stay there: its own fact's entry, against an entry about
// another place, nearly level ("结果多久能拿到" after the examination: 0.94;
// "and the visa fee?" after it, about the Immigration Office: under 0.75);
// an entry about it, when the top one is about a place the question does
// not name, at 60 % ("which counter now?" at the Immigration Office: 0.68;
// others under 0.25). The entry a rule of the student's own date comes
// from takes the same 60 %.
constexpr double kContextFactClose = 0.75;
// How far ahead of the next entry a follow-up's own words must put the top
// one to be a new question rather than about the answer just given ("and if
// they reject it?": only one entry; "do i also need to type its number",
// 1.5 ahead, is about the permit page just answered).
constexpr double kOwnWordsLead = 2.0;
// ...and how sure of it the ranker must be ("reject": 1; "那具体截什么图"
// after the insurance screenshot, a weak 0.41 for when to apply).
constexpr double kOwnWordsSure = 0.8;
constexpr double kContextEntryClose = 0.6;
constexpr std::size_t kEveryEntry = 256;

// The first of `matches` that `wanted` picks, if its score is at least
// `share` of the top one's: close behind it. Null otherwise.
template <typename Wanted>
const Engine::Match* close_behind(const std::vector<Engine::Match>& matches, Wanted wanted, double share) {
  const auto it = std::find_if(matches.begin(), matches.end(), wanted);
  return it != matches.end() && it->score >= share * matches.front().score ? &*it : nullptr;
}

// Whether the first of `matches` leads the next by Engine::kLead (or has
// none behind it).
inline bool well_ahead(const std::vector<Engine::Match>& matches) {
  return !matches.empty() && (matches.size() < 2 || matches[0].score >= Engine::kLead * matches[1].score);
}

// The one element of `range` that `pred` picks, if only one does; null
// otherwise (none, or two to choose between).
template <typename Range, typename Pred>
auto only_one(const Range& range, Pred pred) -> decltype(&*std::begin(range)) {
  decltype(&*std::begin(range)) found = nullptr;
  for (const auto& x : range)
    if (pred(x)) {
      if (found != nullptr) return nullptr;
      found = &x;
    }
  return found;
}
// (Never of a temporary: the element found would not outlive it.)
template <typename Range, typename Pred>
void only_one(const Range&& range, Pred pred) = delete;

}  // namespace permit::dialogs
