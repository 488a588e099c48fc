#include "dialogs/questions.hpp"

#include "dialogs/text.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

namespace permit::dialogs {
namespace {

// Where one sentence ends and the next begins.
constexpr std::string_view kSentenceEnds[] = {"?", "？", "。", "!", "！", ";", "；", "\n"};
// Where two questions may be joined within a sentence.
// normalise() has made "，" a ",".
constexpr std::string_view kJoins[] = {" and also ", " and ", " also ", " plus ", ",", "、", "还有", "另外", "以及", "然后"};
// "...for X and for Y": words after " and " that repeat the first part's.
constexpr std::string_view kSharedWords[] = {"for ", "about ", "at ", "in ", "of ", "to "};

}  // namespace

bool is_inverted(std::string_view word) {
  return word == "is" || word == "are" || word == "do" || word == "does" || word == "did" || word == "can" ||
         word == "could" || word == "should" || word == "will" || word == "would" || word == "must" || word == "may" ||
         word == "anything" || word == "isnt" || word == "isn't" || word == "arent" || word == "aren't" ||
         word == "doesnt" || word == "doesn't" || word == "dont i" || word == "don't i";
}

std::size_t denial_at_end(std::string_view before) {
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (std::string_view w : {"not at", "not in", "not from", "isn't", "not", "而不是", "不是", "不在"}) {
    if (!before.ends_with(w)) continue;
    const std::size_t start = before.size() - w.size();
    const bool latin = std::isalpha(static_cast<unsigned char>(w[0])) != 0;
    if (!latin || start == 0 || !std::isalpha(static_cast<unsigned char>(before[start - 1]))) return w.size();
  }
  return 0;
}

std::string without_denied(std::string text) {
  static constexpr std::string_view kDenials[] = {"不是", "not"};
  static constexpr std::string_view kMarks[] = {"，", ",", " but ", "而是", "。", ".", "?", "？"};
  static constexpr std::string_view kInstead[] = {"是", "而是", "but", "it's", "it is", "it was", "rather"};
  // (What is denied is short: a thing's name, not a clause, "不是我的
  // 护照丢了，是我朋友的" denies whose.)
  constexpr std::size_t kMostDenied = 16;  // bytes after the denial: "我的护照", " my passport"
  auto blank = [&](std::size_t from, std::size_t to) {
    std::fill(text.begin() + static_cast<std::ptrdiff_t>(from), text.begin() + static_cast<std::ptrdiff_t>(to), ' ');
  };
  for (std::string_view denial : kDenials)
    for (std::size_t at = text.find(denial); at != std::string::npos; at = text.find(denial, at + denial.size())) {
      // (A whole word: not "nothing", "cannot".)
      const bool latin = denial[0] == 'n';
      if (latin && ((at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]))) ||
                    (at + denial.size() < text.size() && std::isalpha(static_cast<unsigned char>(text[at + denial.size()])))))
        continue;
      // The first clause mark after it (or the end), and what follows.
      std::size_t mark = text.size(), after = text.size();
      for (std::string_view m : kMarks)
        if (const std::size_t found = text.find(m, at + denial.size()); found != std::string::npos && found < mark) {
          mark = found;
          after = m == " but " ? found + 1 : m == "而是" ? found : found + m.size();
        }
      if (mark - at - denial.size() > kMostDenied) continue;
      std::string_view rest = std::string_view(text).substr(after);
      while (rest.starts_with(" ")) rest.remove_prefix(1);
      // "不是护照，是居留许可": what it is instead follows.
      const bool instead = std::any_of(std::begin(kInstead), std::end(kInstead),
                                       [&](std::string_view w) { return rest.starts_with(w); });
      // "I lost my permit, not my passport", "是居留许可，不是护照": it came
      // before, and the denial closes the sentence.
      std::string_view before = std::string_view(text).substr(0, at);
      while (before.ends_with(" ")) before.remove_suffix(1);
      const bool said_before = (before.ends_with(",") || before.ends_with("，")) &&
                               (mark == text.size() || text.compare(mark, 1, ".") == 0 || text.compare(mark, 1, "?") == 0 ||
                                text.compare(mark, 3, "。") == 0 || text.compare(mark, 3, "？") == 0);
      if (instead || said_before) blank(at, mark);
    }
  return text;
}

// Whether the words of `text` before `at`, in its clause, hold a negation:
// "X2签证 不是X1", "我现在不住宿舍了", "I no longer live on campus".
bool negated(std::string_view text, std::size_t at, const std::vector<std::string>& negations) {
  std::string_view before = text.substr(0, at);
  for (std::string_view mark : {",", "，", ".", "。", ";", "；", "!", "！"})
    if (const auto end = before.rfind(mark); end != std::string_view::npos) before.remove_prefix(end + mark.size());
  // (Chinese negates with one character right before the verb: "我不住校外".)
  for (std::string_view no : {"不", "没", "不能", "没有", "不再"})
    if (before.ends_with(no)) return true;
  // ("ok never mind i transferred to jsnu": the idiom drops what was said
  // before it, it denies nothing after it.)
  for (std::string_view idiom : {"never mind", "nevermind"})
    if (const auto at = before.rfind(idiom); at != std::string_view::npos) before.remove_prefix(at + idiom.size());
  return std::any_of(negations.begin(), negations.end(), [&](const std::string& w) { return contains_phrase(before, w); });
}

namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == ',')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ',')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::vector<std::string> split_question(const Engine& engine, const Analysis& a) {
  const std::string& text = a.text;
  // Where each part asks something: an attribute, an interrogative, or
  // (English puts them first) "is", "can", "do" at the start of a part.
  // (An attribute's word alone does not make a question: "I lost it on the
  // bus" is not asking about buses.)
  std::vector<std::size_t> asks, attributes, inverted;
  for (const auto& h : engine.attribute_words().find(a)) attributes.push_back(h.begin);
  for (const auto& h : engine.words(Words::interrogatives).find(a))
    (is_inverted(std::string_view(text).substr(h.begin, h.end - h.begin)) ? inverted : asks).push_back(h.begin);
  std::sort(asks.begin(), asks.end());
  std::sort(attributes.begin(), attributes.end());
  auto any_in = [](const std::vector<std::size_t>& at, std::size_t b, std::size_t e) {
    auto it = std::lower_bound(at.begin(), at.end(), b);
    return it != at.end() && *it < e;
  };
  // The part before a join must ask; the part after must start asking,
  // by an interrogative or an attribute ("..., how much?", "，几点开门").
  auto asks_before = [&](std::size_t b, std::size_t e) {
    while (b < e && text[b] == ' ') ++b;
    return any_in(asks, b, e) || std::find(inverted.begin(), inverted.end(), b) != inverted.end();
  };
  auto starts_asking = [&](std::size_t b, std::size_t e) {
    while (b < e && text[b] == ' ') ++b;
    return any_in(asks, b, e) || any_in(attributes, b, e) || std::find(inverted.begin(), inverted.end(), b) != inverted.end();
  };
  // Cut points: every sentence end; a join only where both sides ask
  // something and the side after it starts by asking (within its first
  // few bytes: "and where...", "，要多少钱").
  std::vector<std::pair<std::size_t, std::size_t>> cuts;  // [begin, end) of the separator
  for (auto sep : kSentenceEnds)
    for (auto at = text.find(sep); at != std::string::npos; at = text.find(sep, at + sep.size()))
      cuts.emplace_back(at, at + sep.size());
  std::sort(cuts.begin(), cuts.end());
  auto sentence_of = [&](std::size_t at) {
    std::size_t b = 0, e = text.size();
    for (const auto& c : cuts) {
      if (c.second <= at) b = c.second;
      else if (c.first > at) {
        e = c.first;
        break;
      }
    }
    return std::pair{b, e};
  };
  // "What are the fines for working illegally and for overstaying?": the
  // second part shares the first's question up to the same word, which it
  // is given (the prefix, as a range of the text).
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> shared;  // cut end -> prefix
  std::vector<std::pair<std::size_t, std::size_t>> joins;
  for (auto sep : kJoins) {
    for (auto at = text.find(sep); at != std::string::npos; at = text.find(sep, at + sep.size())) {
      const auto [b, e] = sentence_of(at);
      const std::size_t after = at + sep.size();
      constexpr std::size_t kStartsWithin = 8;
      if (!asks_before(b, at)) continue;
      if (starts_asking(after, std::min(e, after + kStartsWithin))) {
        joins.emplace_back(at, after);
        continue;
      }
      // (A few at most: a message of a thousand "and for"s is not read a
      // thousand times over.)
      if (sep != " and " || shared.size() >= kMaxParts) continue;
      for (std::string_view word : kSharedWords) {
        if (std::string_view(text).substr(after, word.size()) != word) continue;
        const std::string needle = " " + std::string(word);
        const auto own = std::string_view(text).substr(b, at - b).rfind(needle);
        if (own == std::string_view::npos) break;
        joins.emplace_back(at, after);
        shared[after] = {b, b + own + 1};
        break;
      }
    }
  }
  cuts.insert(cuts.end(), joins.begin(), joins.end());
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::string> parts;
  std::size_t from = 0;
  auto add_part = [&](std::size_t b, std::size_t e) {
    std::string p = trimmed(std::string_view(text).substr(b, e - b));
    if (normalise(p).empty()) return;
    if (auto s = shared.find(b); s != shared.end()) p = text.substr(s->second.first, s->second.second - s->second.first) + p;
    parts.push_back(std::move(p));
  };
  for (const auto& [b, e] : cuts) {
    if (b < from) continue;  // overlapping separators (" and also " and " and ")
    add_part(from, b);
    from = e;
  }
  add_part(from, text.size());
  if (parts.size() <= 1) return {text};
  if (parts.size() > kMaxParts) {
    // Past the limit, the rest stays one part.
    std::string tail;
    for (std::size_t i = kMaxParts - 1; i < parts.size(); ++i) tail += (tail.empty() ? "" : ", ") + parts[i];
    parts.resize(kMaxParts - 1);
    parts.push_back(std::move(tail));
  }
  return parts;
}

}  // namespace permit::dialogs
