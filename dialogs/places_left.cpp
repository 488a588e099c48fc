// "I moved out of the dorm into an apartment", "我上周从留学生宿舍搬出去了":
// a place the student says they left is neither where they live now nor
// what they ask about. Its words are read as "off campus" instead, so the
// dormitory's entry does not answer a student who no longer lives there.

#include "dialogs/date_tokens.hpp"
#include "dialogs/phrases.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <string_view>

namespace permit::dialogs {
namespace {

// English: the words right after "moved out of" that name the place, past
// "the", "my", ...; up to a word that starts the next part ("into", "last").
std::pair<std::size_t, std::size_t> english_place(std::string_view t, std::size_t from) {
  constexpr std::string_view kArticles[] = {"the", "my", "our", "a", "that", "this"};
  constexpr std::string_view kEnds[] = {"into", "to", "and", "n", "last", "this", "now", "in", "on", "since",
                                        "because", "so", "but", "at", "for", "yesterday", "today", "recently"};
  // (A month's name starts the date: "moved out of the dorm dec 3".)
  auto ends = [&](std::string_view word) {
    return std::find(std::begin(kEnds), std::end(kEnds), word) != std::end(kEnds) ||
           date_tokens::month_from_name(word) != 0;
  };
  std::size_t begin = std::string_view::npos, end = from, i = from;
  for (int taken = 0; taken < 3 && i < t.size();) {
    while (i < t.size() && t[i] == ' ') ++i;
    std::size_t e = i;
    while (e < t.size() && std::isalpha(static_cast<unsigned char>(t[e]))) ++e;
    const std::string_view word = t.substr(i, e - i);
    if (word.empty()) break;
    const bool article = begin == std::string_view::npos &&
                         std::find(std::begin(kArticles), std::end(kArticles), word) != std::end(kArticles);
    if (!article && ends(word)) break;
    if (!article) {
      if (begin == std::string_view::npos) begin = i;
      end = e;
      ++taken;
    }
    i = e;
  }
  return begin == std::string_view::npos ? std::pair{from, from} : std::pair{begin, end};
}

// Chinese: "从X搬出" names X before the verb; "搬出X", "不住X" after it, up
// to "了", a comma or a space. (Only a place to live after "不住": "记不住"
// is no leaving.)
std::pair<std::size_t, std::size_t> chinese_place(std::string_view t, std::size_t begin, std::size_t end) {
  constexpr std::string_view kFrom = "从";
  constexpr std::size_t kMostBytes = 8 * 3;  // eight characters
  if (const auto at = t.rfind(kFrom, begin); at != std::string_view::npos && begin - at <= kMostBytes + kFrom.size()) {
    const std::string_view between = t.substr(at + kFrom.size(), begin - at - kFrom.size());
    if (!between.empty() && between.find(' ') == std::string_view::npos && between.find("，") == std::string_view::npos &&
        between.find(',') == std::string_view::npos)
      return {at + kFrom.size(), begin};
  }
  std::size_t i = end;
  for (std::string_view skip : {"去", "在", "了"})
    if (t.substr(i).starts_with(skip)) i += skip.size();
  const std::size_t from = i;
  const bool lives = t.substr(begin, end - begin) != "不住" || t.substr(from).starts_with("宿舍") ||
                     t.substr(from).starts_with("学校") || t.substr(from).starts_with("校") ||
                     t.substr(from).starts_with("留学生");
  if (!lives) return {from, from};
  for (int n = 0; n < 8 && i < t.size(); ++n) {
    const std::string_view rest = t.substr(i);
    if (rest.starts_with("了") || rest.starts_with("，") || rest.starts_with("现在") || rest.starts_with(",") ||
        rest.starts_with(" "))
      break;
    std::size_t next = i;
    next_code_point(t, next);
    i = next;
  }
  return {from, i};
}

}  // namespace

Analysis Turn::without_places_left(Analysis a) const {
  const auto hits = engine_.words(Words::left_place).find(a);
  if (hits.empty()) return a;
  std::vector<PhraseIndex::Hit> places;
  for (const auto& h : hits) {
    // (Not "i haven't moved out of the dorm", "我没有搬出宿舍".)
    const std::string_view before = std::string_view(a.text).substr(0, h.begin);
    if (negated(a.text, h.begin, negations()) || before.ends_with("没") || before.ends_with("没有") ||
        before.ends_with("没有 "))
      continue;
    const auto [begin, end] = static_cast<unsigned char>(a.text[h.begin]) < 0x80 ? english_place(a.text, h.end)
                                                                                  : chinese_place(a.text, h.begin, h.end);
    // The words of leaving go with the place: "moved out" is itself a
    // negation that would deny the case told ("off campus").
    if (begin < end) places.push_back({h.id, std::min(begin, h.begin), std::max(end, h.end)});
  }
  if (places.empty()) return a;
  // (One place once: "moved out of" and "move out of" match the same words.)
  std::sort(places.begin(), places.end(), [](const auto& x, const auto& y) { return x.begin < y.begin; });
  places = without_overlaps(std::move(places));
  // Where a student who left a place lives now is off campus: "i moved out
  // of the dorm, what do i upload" is read as about living off campus (the
  // answers that depend on it say so), not about nothing.
  // (A move stays a move, for its date: "moved out of the dorm on dec 1".)
  std::string text = a.text;
  for (auto it = places.rbegin(); it != places.rend(); ++it) {
    const std::string_view was = std::string_view(text).substr(it->begin, it->end - it->begin);
    const bool moved = was.starts_with("mov") || was.find("搬") != std::string_view::npos;
    const char* now = static_cast<unsigned char>(text[it->begin]) < 0x80 ? (moved ? " moved off campus " : " live off campus ")
                                                                         : (moved ? "搬到校外" : "住校外");
    text.replace(it->begin, it->end - it->begin, now);
  }
  return engine_.analyse(text);
}

}  // namespace permit::dialogs
