// Dates said as a count of days or weeks from today: "expires in 10 days",
// "还有两周就到期了" (ahead) and "got the letter 3 weeks ago", "3个星期前"
// (back). Apart from relative_dates.cpp, which reads named days and weeks.

#include "dialogs/dates.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace permit::dialogs {

namespace {

// A count written as digits or, up to twelve, as a word ("ten", "十二",
// "两"); its value and length at `at`, or -1.
std::pair<int, std::size_t> count_at(std::string_view text, std::size_t at) {
  std::size_t end = at;
  int value = 0;
  while (end < text.size() && end - at < 3 && std::isdigit(static_cast<unsigned char>(text[end])))
    value = value * 10 + (text[end++] - '0');
  if (end > at) return end >= text.size() || !std::isdigit(static_cast<unsigned char>(text[end])) ? std::pair{value, end - at} : std::pair{-1, std::size_t{0}};
  static constexpr std::pair<std::string_view, int> kEnglish[] = {
      {"a ", 1},     {"one ", 1},   {"two ", 2},  {"three ", 3},   {"four ", 4},    {"five ", 5}, {"six ", 6},
      {"seven ", 7}, {"eight ", 8}, {"nine ", 9}, {"ten ", 10},    {"eleven ", 11}, {"twelve ", 12}};
  static constexpr std::pair<std::string_view, int> kChinese[] = {
      {"十二", 12}, {"十一", 11}, {"十", 10}, {"一", 1}, {"两", 2}, {"二", 2}, {"三", 3},
      {"四", 4},    {"五", 5},    {"六", 6},  {"七", 7}, {"八", 8}, {"九", 9}};
  const std::string_view rest = text.substr(at);
  if (!rest.empty() && static_cast<unsigned char>(rest[0]) >= 0x80) {
    for (const auto& [word, n] : kChinese)
      if (rest.starts_with(word)) return {n, word.size()};
  } else {
    for (const auto& [word, n] : kEnglish)
      if (rest.starts_with(word)) return {n, word.size() - 1};
  }
  return {-1, 0};
}

// A unit of a count of days: "days", "周", "个星期".
struct Unit {
  std::string_view word;
  int days;
};
constexpr Unit kEnglishUnits[] = {{"days", 1}, {"day", 1}, {"weeks", 7}, {"week", 7}};
constexpr Unit kChineseUnits[] = {{"个星期", 7}, {"个礼拜", 7}, {"星期", 7}, {"礼拜", 7}, {"天", 1}, {"周", 7}};

// Today moved by `days`, as the date found at [begin, end).
DateFound counted_date(std::string_view text, std::size_t begin, std::size_t end, Date today, int days) {
  DateFound f;
  f.status = DateFound::Status::found;
  f.date = add_days(today, days);
  f.counted = true;
  f.relative = true;
  f.begin = begin;
  f.end = end;
  f.text = std::string(text.substr(begin, end - begin));
  return f;
}

// Each count of days or weeks written in Chinese ("3天", "两个星期"), not
// inside a longer number: `visit(begin, end of its unit, days)`.
template <typename Visit>
void chinese_counts(std::string_view text, Visit visit) {
  for (std::size_t at = 0; at < text.size();) {
    const auto c = static_cast<unsigned char>(text[at]);
    if ((c < 0x80 && !std::isdigit(c)) || (at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1])))) {
      ++at;
      continue;
    }
    const auto [count, length] = count_at(text, at);
    const std::size_t unit_at = at + std::max<std::size_t>(length, 1);
    const Unit* unit = nullptr;
    for (const Unit& u : kChineseUnits)
      if (count > 0 && text.substr(unit_at).starts_with(u.word)) {
        unit = &u;
        break;
      }
    if (unit == nullptr) {
      at = unit_at;
      continue;
    }
    const std::size_t end = unit_at + unit->word.size();
    visit(at, end, count * unit->days);
    at = end;
  }
}

// Each count of days or weeks written in English ("4 days", "two weeks"),
// in text order: `visit(begin, end of its unit, days)`.
template <typename Visit>
void english_counts(std::string_view text, Visit visit) {
  std::vector<std::tuple<std::size_t, std::size_t, int>> found;
  for (const Unit& u : kEnglishUnits)
    for (std::size_t unit_at = text.find(u.word); unit_at != std::string_view::npos; unit_at = text.find(u.word, unit_at + 1)) {
      if (unit_at < 2 || text[unit_at - 1] != ' ' || latin_letter_at(text, unit_at + u.word.size())) continue;
      std::size_t at = unit_at - 1;  // the space before the unit
      while (at > 0 && text[at - 1] != ' ') --at;
      const auto [count, length] = count_at(text, at);
      if (count > 0 && at + length + 1 == unit_at &&
          std::none_of(found.begin(), found.end(), [&](const auto& f) { return std::get<0>(f) == at; }))
        found.emplace_back(at, unit_at + u.word.size(), count * u.days);
    }
  std::sort(found.begin(), found.end());
  for (const auto& [at, end, days] : found) visit(at, end, days);
}

}  // namespace

// "My visa expires in 10 days", "还有两周就到期了", "10天后到期": the day a
// permit or visa runs out, said as a count of days or weeks from today,
// right beside the word of its running out. Nowhere else: "拿到公函30天后
// 还能交复印件吗", "can i get the result in 2 days", "do i have to apply
// in 30 days before my visa ends" ask about a length of time, not a date.
// Nor said roughly ("in like 10 days", "将近10天", "10天左右"; "大概" is a
// hedge the caller sees as Analysis::hedged), nor in months ("in 2
// months", seldom to the day), nor "ago".
void find_offsets(std::string_view text, Date today, std::vector<DateFound>& out) {
  static constexpr std::string_view kRunsOut[] = {"expires ", "expire ", "expiring ", "runs out ", "run out ",
                                                  "ends ", "is up ", "will end "};
  static constexpr std::string_view kRunsOutZh[] = {"到期", "过期"};
  // English: "expires in N days", "runs out in a week".
  for (std::size_t at = text.find("in "); at != std::string_view::npos; at = text.find("in ", at + 3)) {
    if (at > 0 && text[at - 1] != ' ') continue;  // not "within"
    const std::string_view before = text.substr(0, at);
    if (std::none_of(std::begin(kRunsOut), std::end(kRunsOut), [&](std::string_view w) {
          return before.ends_with(w) && (before.size() == w.size() || !latin_letter_at(before, before.size() - w.size() - 1));
        }))
      continue;
    std::size_t p = at + 3;
    const auto [count, length] = count_at(text, p);
    if (count <= 0) continue;
    p += length;
    if (p >= text.size() || text[p] != ' ') continue;
    ++p;
    for (const Unit& u : kEnglishUnits)
      if (text.substr(p).starts_with(u.word) && !latin_letter_at(text, p + u.word.size())) {
        out.push_back(counted_date(text, at, p + u.word.size(), today, count * u.days));
        break;
      }
  }
  // Chinese: "还有N天(就)到期", "N天后到期".
  chinese_counts(text, [&](std::size_t at, std::size_t end, int days) {
    const std::string_view before = text.substr(0, at);
    const bool still = before.ends_with("还有") || before.ends_with("还剩");
    bool after_word = false;
    for (std::string_view w : {"以后", "之后", "后"})
      if (text.substr(end).starts_with(w)) {
        after_word = true;
        end += w.size();
        break;
      }
    // (The word of running out later in the clause: "还有两周居留许可就到期了".)
    std::string_view rest = text.substr(end);
    for (std::string_view mark : {",", "，", "。", "?", "？", "!", "！", " "})
      rest = rest.substr(0, rest.find(mark));
    const bool runs_out = std::any_of(std::begin(kRunsOutZh), std::end(kRunsOutZh),
                                      [&](std::string_view w) { return rest.find(w) != std::string_view::npos; });
    if ((after_word || still) && runs_out) out.push_back(counted_date(text, at, end, today, days));
  });
}


std::vector<DateFound> find_counts_back(std::string_view text, Date today) {
  std::vector<DateFound> out;
  // English: "N days ago", "a week ago".
  english_counts(text, [&](std::size_t at, std::size_t end, int days) {
    if (text.substr(end).starts_with(" ago") && !latin_letter_at(text, end + 4))
      out.push_back(counted_date(text, at, end + 4, today, -days));
  });
  // Chinese: "N天前", "N个星期前"; not a rule's "到期30天前", "提前30天".
  chinese_counts(text, [&](std::size_t at, std::size_t end, int days) {
    const std::string_view before = text.substr(0, at);
    const bool rule = before.ends_with("到期") || before.ends_with("过期") || before.ends_with("截止") ||
                      before.ends_with("提前") || before.ends_with("前");
    if (text.substr(end).starts_with("前") && !text.substr(end).starts_with("前后") && !rule)
      out.push_back(counted_date(text, at, end + std::string_view("前").size(), today, -days));
  });
  return out;
}

std::vector<std::pair<std::size_t, int>> day_counts(std::string_view text) {
  std::vector<std::pair<std::size_t, int>> out;
  english_counts(text, [&](std::size_t at, std::size_t, int days) { out.emplace_back(at, days); });
  chinese_counts(text, [&](std::size_t at, std::size_t, int days) { out.emplace_back(at, days); });
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace permit::dialogs
