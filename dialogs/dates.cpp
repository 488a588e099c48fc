#include "dialogs/dates.hpp"
#include "dialogs/date_tokens.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <initializer_list>
#include <tuple>
#include <vector>

namespace permit::dialogs {
namespace {
// What "the 2nd ..." counts when it is no day: "the 2nd time", "the 3rd floor".
constexpr std::string_view kCountedNouns[] = {"time",   "times",    "extension", "renewal", "floor",
                                              "step",   "year",     "semester",  "attempt", "window",
                                              "counter", "application", "permit"};


using namespace std::chrono;
using namespace date_tokens;

struct Candidate {
  DateFound::Status status;
  int y = 0, m = 0, d = 0;  // y == 0: no year given
  std::size_t end = 0;
  int weekday = -1;  // 0-6: a day of the month with its weekday and no month ("Monday the 7th")
  bool vague = false;  // a part of a month ("end of january"): see DateFound::vague
};

Candidate found(int y, int m, int d, std::size_t end) { return {DateFound::Status::found, y, m, d, end}; }

// Tries each accepted form at token `i`.
std::optional<Candidate> match_at(const std::vector<Token>& tokens, std::size_t i) {
  using K = Token::Kind;
  {  // 2027-03-01, 2027/3/1, 2027.3.1
    Matcher p(tokens, i);
    const Token *y = p.number(4, 4), *s1 = y ? p.separator("-/.") : nullptr, *m = s1 ? p.number(1, 2) : nullptr;
    const Token* s2 = m ? p.separator(s1->text) : nullptr;
    const Token* d = s2 ? p.number(1, 2) : nullptr;
    if (d) return found(y->value, m->value, d->value, p.end_offset());
  }
  for (bool with_year : {true, false}) {  // 2027年3月1日, and 3月1日 without the year
    Matcher p(tokens, i);
    const Token* y = with_year ? p.number(4, 4) : nullptr;
    if (with_year && (!y || !p.kind(K::year_mark))) continue;
    const Token* m = p.number(1, 2);
    const Token* mm = m ? p.kind(K::month_mark) : nullptr;
    const Token* d = mm ? p.number(1, 2) : nullptr;
    // Without a year, the day mark is required: "3月3" alone is too loose.
    if (d && (p.kind(K::day_mark) || y)) return found(y ? y->value : 0, m->value, d->value, p.end_offset());
    if (mm && !d) return Candidate{DateFound::Status::partial, 0, 0, 0, p.end_offset()};  // "3月到期": which day?
  }
  {  // "Monday the 7th", "Fri 4th": a day of the month that the weekday pins down
    Matcher p(tokens, i);
    const int w = p.weekday_name();
    p.optional_separator(",");
    p.word("the");
    const Token* d = w >= 0 ? p.number(1, 2) : nullptr;
    if (d && p.ordinal()) {
      Matcher rest = p;
      rest.word("of");
      if (rest.month_name() == 0) {
        Candidate c = found(0, 0, d->value, p.end_offset());
        c.weekday = w;
        return c;
      }
    }
  }
  {  // the first of December (a day in words, only before its month)
    Matcher p(tokens, i);
    p.word("the");
    if (const int d = p.day_word()) {
      p.word("of");
      if (int m = p.month_name()) {
        if (const Token* y = p.year_after()) return found(y->value, m, d, p.end_offset());
        return found(0, m, d, p.end_offset());
      }
    }
  }
  {  // 1 March 2027, 1st Mar, 2027, the 1st of March 2027, 3rd March
    Matcher p(tokens, i);
    p.word("the");
    const Token* d = p.number(1, 2);
    if (d) {
      const bool ordinal = p.ordinal();
      p.word("of");
      if (int m = p.month_name()) {
        if (const Token* y = p.year_after()) return found(y->value, m, d->value, p.end_offset());
        return found(0, m, d->value, p.end_offset());
      }
      // "the 30th" alone: a day without its month. ("The 20th of next
      // month" is a date relative_dates.cpp reads.)
      Matcher relative = p;
      const bool month_on = (relative.word("next") || relative.word("this")) && relative.word("month");
      // (Nor "the 2nd time", "the 3rd floor": an ordinal before a noun.)
      Matcher after = p;
      bool counts = false;
      for (std::string_view noun : kCountedNouns) counts = counts || Matcher(after).word(noun);
      if (ordinal && !month_on && !counts && i < tokens.size() && tokens[i].text == "the")
        return Candidate{DateFound::Status::partial, 0, 0, 0, p.end_offset()};
    }
  }
  {  // March 1, 2027; Mar 1st 2027; Jan. 25, 2027; March 3rd; March 2027
    Matcher p(tokens, i);
    if (int m = p.month_name()) {
      if (tokens[i].text.size() <= 4) p.optional_separator(".");  // "Jan. 25"
      p.word("the");
      if (const Token* d = p.number(1, 2)) {
        p.ordinal();
        if (const Token* y = p.year_after()) return found(y->value, m, d->value, p.end_offset());
        return found(0, m, d->value, p.end_offset());
      }
      // "december first"; not after "may", a verb as often as a month
      // ("what may first-year students do"); nor before a word ("expires in
      // march first time renewing", "july second semester"): the ordinal
      // starts the next phrase there.
      if (const int d = m != 5 ? p.day_word() : 0) {
        if (const Token* y = p.year_after()) return found(y->value, m, d, p.end_offset());
        const std::size_t end = p.end_offset();
        if (Matcher after = p; after.any_word()) return std::nullopt;
        return found(0, m, d, end);
      }
      if (p.number(4, 4)) return Candidate{DateFound::Status::partial, 0, 0, 0, p.end_offset()};
      // "end of january", "late march", "mid-feb": a part of a month, not
      // its day; asked, never guessed (the month's last day would put the
      // deadline after the real one).
      auto before = [&](std::size_t back, std::string_view w) { return i >= back && tokens[i - back].text == w; };
      const bool part_of = before(1, "of") && (before(2, "end") || before(2, "beginning") || before(2, "start") ||
                                               before(2, "middle"));
      const bool mid = before(1, "mid") || (before(1, "-") && before(2, "mid"));
      if (m != 5 && (part_of || before(1, "late") || before(1, "early") || mid)) {
        Candidate c{DateFound::Status::partial, 0, 0, 0, p.end_offset()};
        c.vague = true;
        return c;
      }
    }
  }
  {  // 15/03/2027 (day first) or 03/15/2027 (month first): only when unambiguous;
     // "05/06/27": the year in two digits is this century's
    Matcher p(tokens, i);
    const Token *a = p.number(1, 2), *s1 = a ? p.separator("-/.") : nullptr, *b = s1 ? p.number(1, 2) : nullptr;
    const Token* s2 = b ? p.separator(s1->text) : nullptr;
    const Token* y = s2 ? p.number(4, 4) : nullptr;
    int year = y ? y->value : 0;
    // (Only years a permit of today can have: "27.01.20" is year first,
    // 2027-01-20, not the 27th of January 2020.)
    constexpr int kFirstShortYear = 24, kLastShortYear = 45;
    if (s2 && !y)
      if ((y = p.number(2, 2))) {
        if (y->value < kFirstShortYear || y->value > kLastShortYear) return std::nullopt;
        year = 2000 + y->value;
      }
    if (y) {
      const NumericDayMonth dm = numeric_day_month(a->value, b->value);
      if (dm.status == DateFound::Status::found) return found(year, dm.month, dm.day, p.end_offset());
      return Candidate{dm.status, 0, 0, 0, p.end_offset()};
    }
  }
  return std::nullopt;
}

bool valid_year(int y) { return y >= 1900 && y <= 2200; }


// Of the candidates that are real days and pass `fits`, the nearest to
// `today`, past or future.
template <typename Fits>
std::optional<Date> nearest_of(std::initializer_list<Date> candidates, Date today, Fits fits) {
  std::optional<Date> best;
  int best_distance = 0;
  for (const Date& candidate : candidates) {
    if (!candidate.ok() || !fits(candidate)) continue;  // 29 February in a common year
    const int distance = std::abs(days_between(today, candidate));
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// The nearest day, a month either way, that is day `d` of its month and
// that weekday (0 Sunday .. 6 Saturday).
std::optional<Date> nearest_weekday(unsigned d, int weekday, Date today) {
  const year_month here{today.year(), today.month()};
  auto in = [&](int dm) {
    const year_month ym = here + months{dm};
    return Date{ym.year(), ym.month(), day{d}};
  };
  return nearest_of({in(-1), in(0), in(1)}, today, [&](Date candidate) {
    return std::chrono::weekday{sys_days{candidate}}.c_encoding() == static_cast<unsigned>(weekday);
  });
}

// "今年3月3号", "march 3rd of next year": the year said in words beside a
// date written without one, as years from today's (and the bytes it adds
// before and after the date). Past tense alone does not decide it: "3月3号"
// is still the nearest such day.
struct YearWord {
  int offset = 0;
  std::size_t before = 0, after = 0;
};
std::optional<YearWord> year_word(std::string_view text, std::size_t begin, std::size_t end) {
  constexpr std::pair<std::string_view, int> kBefore[] = {{"今年", 0}, {"明年", 1}, {"去年", -1}, {"this year ", 0},
                                                          {"next year ", 1}, {"last year ", -1}};
  constexpr std::pair<std::string_view, int> kAfter[] = {{" this year", 0}, {" next year", 1}, {" last year", -1},
                                                         {" of this year", 0}, {" of next year", 1}, {" of last year", -1},
                                                         {", this year", 0}, {", next year", 1}, {", last year", -1}};
  std::string_view before = text.substr(0, begin);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  for (const auto& [w, offset] : kBefore) {
    const std::string_view word = w.back() == ' ' ? w.substr(0, w.size() - 1) : w;
    if (before.ends_with(word)) return YearWord{offset, begin - (before.size() - word.size()), 0};
  }
  const std::string_view after = text.substr(end);
  for (const auto& [w, offset] : kAfter)
    if (after.starts_with(w) && (after.size() == w.size() || !std::isalnum(static_cast<unsigned char>(after[w.size()]))))
      return YearWord{offset, 0, w.size()};
  return std::nullopt;
}

}  // namespace

bool counts_something(std::string_view word) {
  return std::find(std::begin(kCountedNouns), std::end(kCountedNouns), word) != std::end(kCountedNouns);
}

NumericDayMonth numeric_day_month(int a, int b) {
  if (a > 12 && b <= 12) return {DateFound::Status::found, b, a};
  if (b > 12 && a <= 12) return {DateFound::Status::found, a, b};
  if (a == b) return {DateFound::Status::found, a, b};
  if (a > 12 && b > 12) return {DateFound::Status::invalid};
  return {DateFound::Status::ambiguous};
}

std::optional<Date> nearest(unsigned m, unsigned d, Date today) {
  auto in = [&](int dy) { return Date{today.year() + years{dy}, month{m}, day{d}}; };
  return nearest_of({in(-1), in(0), in(1)}, today, [](Date) { return true; });
}

// "My visa ends on the last day of february", "2月最后一天": that month's
// last day, the nearest such to today (the year given, if it is).
void find_last_days(std::string_view text, Date today, std::vector<DateFound>& out) {
  auto add = [&](std::size_t begin, std::size_t end, unsigned m, std::optional<int> y) {
    const year_month ym = y ? year_month{year{*y}, month{m}} : year_month{today.year(), month{m}};
    auto last = [](year_month at) { return Date{year_month_day_last{at.year(), month_day_last{at.month()}}}; };
    // (No year said: the nearest, as for "3月3号".)
    Date date = last(ym);
    if (!y)
      for (const Date other : {last(ym - years{1}), last(ym + years{1})})
        if (std::abs(days_between(today, other)) < std::abs(days_between(today, date))) date = other;
    DateFound f;
    f.status = DateFound::Status::found;
    f.date = date;
    f.year_given = y.has_value();
    f.begin = begin;
    f.end = end;
    f.text = std::string(text.substr(begin, end - begin));
    out.push_back(std::move(f));
  };
  constexpr std::string_view kEnglish = "last day of ";
  for (auto at = text.find(kEnglish); at != std::string_view::npos; at = text.find(kEnglish, at + 1)) {
    std::size_t from = at + kEnglish.size(), to = from;
    while (to < text.size() && std::isalpha(static_cast<unsigned char>(text[to]))) ++to;
    const int m = date_tokens::month_from_name(text.substr(from, to - from));
    if (m == 0) continue;
    std::optional<int> y;
    if (to + 5 <= text.size() && text[to] == ' ' &&
        std::all_of(text.begin() + to + 1, text.begin() + to + 5, [](char c) { return c >= '0' && c <= '9'; }) &&
        (to + 5 == text.size() || !std::isdigit(static_cast<unsigned char>(text[to + 5])))) {
      y = std::stoi(std::string(text.substr(to + 1, 4)));
      to += 5;
    }
    const std::size_t begin = at >= 4 && text.substr(at - 4, 4) == "the " ? at - 4 : at;
    add(begin, to, static_cast<unsigned>(m), y);
  }
  constexpr std::string_view kChinese = "月最后一天";
  for (auto at = text.find(kChinese); at != std::string_view::npos; at = text.find(kChinese, at + 1)) {
    std::size_t from = at;
    while (from > 0 && std::isdigit(static_cast<unsigned char>(text[from - 1]))) --from;
    if (from == at || at - from > 2) continue;
    const int m = std::stoi(std::string(text.substr(from, at - from)));
    if (m < 1 || m > 12) continue;
    add(from, at + kChinese.size(), static_cast<unsigned>(m), std::nullopt);
  }
}

std::vector<DateFound> find_dates(std::string_view text, std::optional<Date> today) {
  std::vector<std::size_t> origin;
  const std::string normalised = normalise_digits(text, origin);
  const std::vector<Token> tokens = tokenize(normalised);
  std::vector<DateFound> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto candidate = match_at(tokens, i);
    if (!candidate) continue;
    DateFound f;
    f.begin = origin[tokens[i].begin];
    f.end = origin[candidate->end];
    f.text = std::string(text.substr(f.begin, f.end - f.begin));
    f.status = candidate->status;
    f.vague = candidate->vague;
    if (f.status == DateFound::Status::found && candidate->weekday >= 0) {
      // The nearest day, a month either way, that is that day of the
      // month and that weekday; none: the student is asked.
      f.year_given = false;
      auto day_of = today ? nearest_weekday(static_cast<unsigned>(candidate->d), candidate->weekday, *today) : std::nullopt;
      if (day_of) f.date = *day_of;
      else f.status = DateFound::Status::partial;
    } else if (f.status == DateFound::Status::found) {
      const auto m = static_cast<unsigned>(candidate->m), d = static_cast<unsigned>(candidate->d);
      if (candidate->y == 0) {
        f.year_given = false;
        auto day_of = today ? nearest(m, d, *today) : std::nullopt;
        if (const auto said = today ? year_word(text, f.begin, f.end) : std::nullopt) {
          day_of = Date{today->year() + years{said->offset}, month{m}, day{d}};
          if (!day_of->ok()) day_of.reset();
          f.begin -= said->before;
          f.end += said->after;
          f.text = std::string(text.substr(f.begin, f.end - f.begin));
          f.year_given = true;  // in words
        }
        const bool real = Date{year{2000}, month{m}, day{d}}.ok();  // a leap year: 29 February is real
        if (!real) f.status = DateFound::Status::invalid;
        else if (!day_of) f.status = DateFound::Status::partial;
        else f.date = *day_of;
      } else {
        Date date{year{candidate->y}, month{m}, day{d}};
        if (!date.ok() || !valid_year(candidate->y)) f.status = DateFound::Status::invalid;
        else f.date = date;
      }
    }
    out.push_back(std::move(f));
    // Go on after this date: "from 1 March to 3 April" holds two.
    while (i + 1 < tokens.size() && tokens[i + 1].begin < candidate->end) ++i;
  }
  // "the last day of january 2028" is a whole date, not the month alone.
  if (today && (text.find("last day of ") != std::string_view::npos || text.find("月最后一天") != std::string_view::npos)) {
    std::vector<DateFound> last;
    find_last_days(text, *today, last);
    std::erase_if(out, [&](const DateFound& f) {
      return std::any_of(last.begin(), last.end(), [&](const DateFound& l) { return f.begin < l.end && l.begin < f.end; });
    });
    out.insert(out.end(), last.begin(), last.end());
    std::sort(out.begin(), out.end(), [](const DateFound& a, const DateFound& b) { return a.begin < b.begin; });
  }
  return out;
}

DateFound find_date(std::string_view text, std::optional<Date> today) {
  auto all = find_dates(text, today);
  return all.empty() ? DateFound{} : all.front();
}

std::optional<Date> parse_iso(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  for (auto [from, length, index] : {std::tuple{0, 4, 0}, std::tuple{5, 2, 1}, std::tuple{8, 2, 2}}) {
    for (int k = from; k < from + length; ++k) {
      const char c = text[static_cast<std::size_t>(k)];
      if (c < '0' || c > '9') return std::nullopt;
      parts[index] = parts[index] * 10 + (c - '0');
    }
  }
  Date date{year{parts[0]}, month{static_cast<unsigned>(parts[1])}, day{static_cast<unsigned>(parts[2])}};
  if (!date.ok() || !valid_year(parts[0])) return std::nullopt;
  return date;
}

std::optional<std::chrono::minutes> find_time_of_day(std::string_view text, std::pair<std::size_t, std::size_t>* where) {
  // Most messages hold no digit at all (ASCII or full-width): nothing to
  // tokenise. (Every reading of a message asks.)
  const bool digit = std::any_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
                     text.find("\xEF\xBC") != std::string_view::npos;
  if (!digit) return std::nullopt;
  std::vector<std::size_t> origin;
  const std::string s = normalise_digits(text, origin);
  const std::vector<Token> t = tokenize(s);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].kind != Token::Kind::number || t[i].text.size() > 2) continue;
    int hour = t[i].value, minute = 0;
    std::size_t next = i + 1;
    bool clock = false;
    // 15:30 (":" is "other" to the tokenizer, as is "：")
    const bool colon = next < t.size() && t[next].kind == Token::Kind::other &&
                       (s.substr(t[next].begin, t[next].end - t[next].begin) == ":" ||
                        s.substr(t[next].begin, t[next].end - t[next].begin) == "：");
    if (colon && next + 1 < t.size() && t[next + 1].kind == Token::Kind::number && t[next + 1].text.size() == 2) {
      minute = t[next + 1].value;
      next += 2;
      clock = true;
    }
    std::size_t end = t[next - 1].end;  // of what says the time
    if (next < t.size() && t[next].kind == Token::Kind::word && (t[next].text == "pm" || t[next].text == "am")) {
      end = t[next].end;
      if (hour < 1 || hour > 12) continue;
      if (t[next].text == "pm" && hour != 12) hour += 12;
      if (t[next].text == "am" && hour == 12) hour = 0;
      clock = true;
    } else if (next < t.size() && s.substr(t[next].begin, t[next].end - t[next].begin) == "点") {
      end = t[next].end;
      // 下午3点 / 晚上8点: the afternoon and the evening add 12 hours.
      const std::string_view before = std::string_view(s).substr(0, t[i].begin);
      if ((before.ends_with("下午") || before.ends_with("晚上")) && hour < 12) hour += 12;
      clock = true;
    }
    if (clock && hour < 24 && minute < 60) {
      if (where != nullptr) {
        // With the part of the day before it: "下午3点".
        std::size_t begin = t[i].begin;
        for (std::string_view part : {"上午", "下午", "晚上", "早上", "中午"})
          if (std::string_view(s).substr(0, begin).ends_with(part)) begin -= part.size();
        *where = {origin[begin], origin[end]};
      }
      return std::chrono::hours{hour} + std::chrono::minutes{minute};
    }
  }
  return std::nullopt;
}

}  // namespace permit::dialogs
