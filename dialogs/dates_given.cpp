// Which dates a message gives, and which day each is: written, relative
// to today ("tomorrow", "in 10 days"), or a day whose month or year the
// tense settles. What each date is and what follows from it is
// deadlines.cpp's.

#include "dialogs/closeness.hpp"
#include "dialogs/date_meaning.hpp"
#include "dialogs/date_tokens.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace permit::dialogs {
namespace {

// The months named counting from this one: "last month" (-1), "next
// month" (1), "this month" (0).
constexpr std::pair<std::string_view, int> kMonthsFromNow[] = {
    {"last month", -1}, {"previous month", -1}, {"上个月", -1}, {"上月", -1}, {"next month", 1},
    {"下个月", 1},      {"下月", 1},            {"this month", 0}, {"这个月", 0}, {"本月", 0}};

// Whether the text names a month: its name ("june", "jun", "六月", "6月")
// or the one before or after this ("last month", "上个月"). Not a count of
// months ("a 6 month permit", "6个月"), nor "may" (a verb as often), nor
// this month, which is where the day is put anyway.
bool names_a_month(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < text.size() && std::isalpha(static_cast<unsigned char>(text[e]))) ++e;
    const std::string_view word = text.substr(i, e - i);
    if (word != "may" && date_tokens::month_from_name(word) != 0) return true;
    i = e;
  }
  for (const auto& [words, offset] : kMonthsFromNow)
    if (offset != 0 && text.find(words) != std::string_view::npos) return true;
  // "6月", "六月", "十二月": a numeral right before 月, not "个月".
  constexpr std::string_view kNumerals[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  for (auto at = text.find("月"); at != std::string_view::npos; at = text.find("月", at + 1)) {
    const std::string_view before = text.substr(0, at);
    if (std::any_of(std::begin(kNumerals), std::end(kNumerals), [&](std::string_view n) { return before.ends_with(n); }))
      return true;
  }
  return false;
}

// The month a text names counting from this one (kMonthsFromNow, or "in
// 2 months", "2个月后"); nothing when it names none, or more than one.
std::optional<int> month_from_now(std::string_view text) {
  std::optional<int> said;
  auto say = [&](int offset) {
    if (said && *said != offset) return false;
    said = offset;
    return true;
  };
  for (const auto& [words, offset] : kMonthsFromNow)
    if (text.find(words) != std::string_view::npos && !say(offset)) return std::nullopt;
  // "expires in 2 months on the 5th", "2个月后的5号": months counted on.
  for (std::size_t at = 0; at < text.size(); ++at) {
    if (!std::isdigit(static_cast<unsigned char>(text[at])) || (at > 0 && std::isdigit(static_cast<unsigned char>(text[at - 1]))))
      continue;
    std::size_t end = at;
    int n = 0;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end])) && n < 100) n = n * 10 + (text[end++] - '0');
    const std::string_view before = text.substr(0, at), after = text.substr(end);
    const bool english = before.ends_with("in ") && (after.starts_with(" month") || after.starts_with(" months"));
    const bool chinese = after.starts_with("个月后") || after.starts_with("个月以后");
    if ((english || chinese) && !say(n)) return std::nullopt;
  }
  return said;
}

// The text of the clause a date is in.
std::string_view clause_text(std::string_view text, const DateFound& f) {
  const auto [from, to] = clause_of(text, f);
  return text.substr(from, to - from);
}

}  // namespace

std::size_t names_today(std::string_view text, const DateFound& f, Date today) {
  // Said right beside "today" ("today is dec 5", "it's dec 5 today", "今天是
  // 12月5号", "today's the 5th"), of a day within a few of the calendar's:
  // today named, not a date of the student's, whatever else the message
  // dates ("my visa expires today, today is dec 5"; "i got the letter 3
  // weeks ago, today is dec 5"). Where the words naming it begin; npos
  // when they do not.
  constexpr int kNear = 3;  // days
  if (f.end > text.size()) return std::string_view::npos;
  if (f.status == DateFound::Status::found) {
    if (std::abs(days_between(today, f.date)) > kNear) return std::string_view::npos;
  } else {
    // (A day alone: today's day of the month.)
    int day = 0;
    for (char c : f.text)
      if (c >= '0' && c <= '9') day = day * 10 + (c - '0');
      else if (day > 0) break;
    if (f.status != DateFound::Status::partial || day != static_cast<int>(static_cast<unsigned>(today.day())))
      return std::string_view::npos;
  }
  std::string_view before = text.substr(0, f.begin), after = text.substr(f.end);
  while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
  while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
  for (std::string_view w : {"today is", "today's", "today s", "todays", "today", "今天是", "今天", "今日"})
    if (before.ends_with(w)) return before.size() - w.size();
  if (after.starts_with("today") || after.starts_with("今天")) return f.begin;
  return std::string_view::npos;
}

// "Today is dec 5 right": the bot's calendar says which day it is. True
// when the message says nothing more, and is answered so.
bool Turn::says_today_named(const Analysis& a) {
  if (a.text.find("today") == std::string::npos && a.text.find("今天") == std::string::npos) return false;
  for (const DateFound& f : find_dates(a.text, today_))
    if (names_today(a.text, f, today_) != std::string_view::npos) {
      say(text("today_is", {{"date", iso(today_)}}));
      std::string rest = a.text;
      rest.erase(f.begin, f.end - f.begin);
      const Reading r = read(rest);
      return r.leftover <= kLeftoverForPointer && r.attributes.empty() && !r.asks_next;
    }
  return false;
}

std::vector<DateFound> Turn::dates_given(const Analysis& a, const std::vector<PhraseIndex::Hit>& date_words) const {
  auto found = find_dates(a.text, today_);
  // (Before any relative day is looked for: "today is dec 5, my visa
  // expires in 40 days"; and with the "today" that names it, which is no
  // relative day either.)
  std::vector<std::pair<std::size_t, std::size_t>> today_named;
  std::erase_if(found, [&](const DateFound& f) {
    const std::size_t from = names_today(a.text, f, today_);
    if (from == std::string_view::npos) return false;
    today_named.emplace_back(std::min(from, f.begin), f.end + std::string_view("today").size() + 1);
    return true;
  });
  auto in_today_named = [&](const DateFound& f) {
    return std::any_of(today_named.begin(), today_named.end(),
                       [&](const auto& span) { return f.begin < span.second && span.first < f.end; });
  };
  // "i got it 05/12 when's the deadline": a day and a month in either
  // order is asked about with no word of what it is too, when the message
  // asks a deadline ("counter 4/5 at the hospital is for what" is no date).
  auto asks_deadline = [&] {
    const auto asked = engine_.attribute_words().find(a);
    return std::any_of(asked.begin(), asked.end(),
                       [&](const PhraseIndex::Hit& h) { return common_.attributes[h.id].id == "deadline"; });
  };
  // "I moved today": a relative day is a date only beside a word that says
  // what the date is, not where a written date says it already, and not in
  // "I got the letter today, what next?", which asks for the next step.
  // Nor "can I go do the physical exam today?", which asks whether the
  // place is open then.
  // (But "i moved off campus yesterday, what now": a move's time limit
  // runs from it, whatever is asked next.)
  const bool moved = std::any_of(date_words.begin(), date_words.end(),
                                 [&](const PhraseIndex::Hit& h) { return common_.dates[h.id].id == "move"; });
  // (A landing says what its date is too: "landed last sunday".)
  if (found.empty() && (!date_words.empty() || engine_.says(Words::landed, a)) &&
      (moved || !engine_.says(Words::next_step, a)) &&
      !engine_.says(Words::go_there, a)) {
    found = find_relative_dates(a.text, today_);
    // "公函3个星期前就拿了 复印件还剩几天啊": a count back from today is
    // the date of an event done, when its deadline is asked (not "submitted
    // 2 weeks ago and lost the receipt, what do i do").
    // So is a move's ("moved to a new flat 3 days ago"): its time limit
    // runs from it, whatever is asked next; and one told, not asked, that
    // a time limit of this page counts from ("我三天前拿到了学校的公函", its
    // deadline asked next; not "handed in my passport 2 weeks ago", then
    // "can i still get it back" without the receipt).
    // (The count first: whether the message asks is read only for one.)
    if (found.empty())
      if (auto counted = find_counts_back(a.text, today_); !counted.empty()) {
        const bool asked = asks_deadline() || moved;
        if (asked || !read(a).asks) {
          found = std::move(counted);
          std::erase_if(found, [&](const DateFound& f) {
            const DateKind* k = date_kind(meaning_of(a, f, found));
            return k == nullptr || !k->done_when_told || (!asked && (uni_ == nullptr || uni_->rule_for(k->id) == nullptr));
          });
        }
      }
    if (a.hedged) std::erase_if(found, [](const DateFound& f) { return f.counted; });
    std::erase_if(found, in_today_named);
  }
  // "我上个月10号就拿到了": a day of a month said from this one is as
  // plain a date as "11月10号", with or without a word of what it is.
  if (found.empty() && date_words.empty() && month_from_now(a.text)) {
    found = find_relative_dates(a.text, today_);
    std::erase_if(found, [](const DateFound& f) { return !month_from_now(f.text); });
  }
  if (found.empty() && date_words.empty() && a.text.find('/') != std::string::npos && asks_deadline()) {
    found = find_relative_dates(a.text, today_);
    std::erase_if(found, [](const DateFound& f) { return f.status != DateFound::Status::ambiguous; });
  }
  // Nobody gives more dates than this in one message; a message of
  // thousands (hostile) is not read thousands of times over.
  constexpr std::size_t kMostDates = 4;
  if (found.size() > kMostDates) found.resize(kMostDates);
  // "Sorry I meant feb 10 not jan 10", "是2月10号 不是1月10号": a date
  // denied beside one that is not is no date the student gives.
  auto denied = [&](const DateFound& f) {
    return f.begin <= a.text.size() && denial_at_end(std::string_view(a.text).substr(0, f.begin)) > 0;
  };
  if (std::any_of(found.begin(), found.end(), denied) && !std::all_of(found.begin(), found.end(), denied))
    std::erase_if(found, denied);

  // "Sorry i meant the 12th, jan 12": a part of a date said again whole
  // right after it, the same day, is that date, not a second one to ask
  // about. ("the 3rd, Dec 20 is the expiry" is two dates.)
  auto day_of = [](std::string_view written) {
    int day = 0;
    for (char c : written)
      if (c >= '0' && c <= '9') day = day * 10 + (c - '0');
      else if (day > 0) break;
    return day;
  };
  std::erase_if(found, [&](const DateFound& f) {
    if (f.status != DateFound::Status::partial || f.end > a.text.size()) return false;
    return std::any_of(found.begin(), found.end(), [&](const DateFound& whole) {
      if (whole.status != DateFound::Status::found || whole.begin < f.end) return false;
      const std::string_view between = std::string_view(a.text).substr(f.end, whole.begin - f.end);
      return between.find_first_not_of(" ,，:;-") == std::string_view::npos &&
             day_of(f.text) == static_cast<int>(static_cast<unsigned>(whole.date.day()));
    });
  });
  // "我5月30号做的体检": a day without its year, told as done (a word of the
  // past in its clause, and no other date there), is the last such day,
  // not the next; only for an event that is done when told of (a letter
  // received, an examination), not an expiry or a departure ("the permit i
  // got expires on march 3"). (Not a day a few weeks ahead either:
  // "进度单是12月10号拿到的话" is what-if, "I did my exam on Monday 7
  // December" a slip of tense.)
  constexpr int kSurelyAhead = 30;  // days
  // The words of the past and of the future, as written ("ended" is the
  // stem of "ends" too), found once if a date needs them.
  std::optional<std::vector<PhraseIndex::Hit>> past_words, future_words;
  auto in_clause_of = [&](std::optional<std::vector<PhraseIndex::Hit>>& words, Words list, const DateFound& f) {
    if (!words) words = engine_.written(list, a);
    const auto clause = clause_of(a.text, f);
    return std::any_of(words->begin(), words->end(),
                       [&](const auto& h) { return h.begin >= clause.first && h.end <= clause.second; });
  };
  auto told_as_past = [&](const DateFound& f) { return in_clause_of(past_words, Words::past_tense, f); };
  auto told_as_future = [&](const DateFound& f) { return in_clause_of(future_words, Words::future_tense, f); };
  // "I moved this monday" said at the weekend, "entered china on monday":
  // the one just gone; "this friday" on a Tuesday told as done: none; "on
  // monday" with no tense: none either.
  for (auto& f : found)
    if ((f.this_at_weekend || f.weekday_alone) && told_as_past(f)) f.date = add_days(f.date, -7);
  std::erase_if(found, [&](const DateFound& f) {
    return (f.this_ahead && told_as_past(f)) || (f.weekday_alone && !told_as_past(f) && !told_as_future(f));
  });
  for (auto& f : found) {
    if (f.status != DateFound::Status::found || f.year_given || days_between(today_, f.date) <= kSurelyAhead) continue;
    const auto clause = clause_of(a.text, f);
    const bool alone = std::none_of(found.begin(), found.end(), [&](const DateFound& o) {
      return &o != &f && o.begin >= clause.first && o.end <= clause.second;
    });
    // With another date in its clause, the words since that date tell its
    // tense: "my friend did her physical on 20 may and mine was on 15 july".
    // (Up to the next date: "体检是6月30号做的 我1月5号去出入境" goes on 5
    // January to come.)
    auto past_since_the_last = [&] {
      std::size_t from = clause.first, to = clause.second;
      for (const DateFound& o : found) {
        if (&o != &f && o.end <= f.begin && o.begin >= clause.first) from = std::max(from, o.end);
        if (&o != &f && o.begin >= f.end && o.end <= clause.second) to = std::min(to, o.begin);
      }
      if (!past_words) past_words = engine_.written(Words::past_tense, a);
      if (!future_words) future_words = engine_.written(Words::future_tense, a);
      auto in_span = [&](const std::vector<PhraseIndex::Hit>& words) {
        return std::any_of(words.begin(), words.end(), [&](const auto& h) { return h.begin >= from && h.end <= to; });
      };
      const Analysis span = engine_.analyse(a.text.substr(from, to - from));
      return in_span(*past_words) && !in_span(*future_words) && !engine_.says(Words::going, span);
    };
    // (Not a plan told in the past: "i was planning to go on feb 5".)
    if (alone ? !told_as_past(f) || told_as_future(f) : !past_since_the_last()) continue;
    std::string kind = meaning_of(a, f, found);
    // (Someone else's, of a kind: "and she did hers on 1 june".)
    if (kind.starts_with(kOthersDate)) kind.erase(0, kOthersDate.size());
    const DateKind* k = date_kind(kind);
    const Date year_before{f.date.year() - std::chrono::years{1}, f.date.month(), f.date.day()};
    if (k != nullptr && k->done_when_told && year_before.ok()) f.date = year_before;
  }
  // "My permit expires on july 1", said in December: a day without its
  // year, gone by months this year, of something to come (an expiry, a
  // leaving) told with no word of the past in its clause, is asked about:
  // a permit expired five months ago, or one that expires next July? Only
  // the student knows ("i forgot to renew, my permit expires on july 1"
  // is the first, "my permit expires on july 1, can i travel in march" the
  // second). A day a few weeks gone keeps this year: a slip of tense as
  // likely as a year ahead, and a stay past the permit must not go unsaid.
  constexpr int kSurelyGone = 90;  // days
  for (auto& f : found) {
    if (f.status != DateFound::Status::found || f.year_given || days_between(f.date, today_) <= kSurelyGone ||
        told_as_past(f))
      continue;
    const DateKind* k = date_kind(meaning_of(a, f, found));
    if (k != nullptr && !k->done_when_told) f.year_unclear = true;
  }
  // "Moved to a new flat on the 3rd", "my visa ends on the 28th": a day
  // without its month, beside a word that says what it is, is read only
  // where the tense settles the month: an event done when told of (a move,
  // a letter) with a word of the past in its clause and none of the
  // future is the last such day; a date of something to come (an expiry,
  // a departure) with no word of the past in its clause is the next one.
  // Anything else ("my visa expired on the 3rd", "i will move on the
  // 28th", "i went to ask and my visa ends on the 28th") is asked about,
  // as a day without its month always was. The reply says which day it
  // took. (Only with such a word here: "sorry i meant the 12th" corrects
  // the month of the date given before, below.)
  // The day a date without its month names ("the 7th", "10号"), if one.
  auto day_alone = [&](const DateFound& f) -> std::optional<std::chrono::day> {
    const auto days = find_days_alone(f.text, today_);
    if (days.size() != 1 || days.front().status != DateFound::Status::found) return std::nullopt;
    return days.front().date.day();
  };
  auto take = [](DateFound& f, Date d) {
    f.status = DateFound::Status::found;
    f.date = d;
    f.year_given = false;
  };
  // "this coming monday (the 7th)": a day alone that a day said relative to
  // today agrees with is that day.
  std::optional<std::vector<DateFound>> relative;  // found once, if a day alone needs them
  for (auto& f : found) {
    if (f.status != DateFound::Status::partial || f.end > a.text.size() || date_words.empty()) continue;
    const auto day = day_alone(f);
    if (!day) continue;
    if (!relative) relative = find_relative_dates(a.text, today_);
    const auto same = std::find_if(relative->begin(), relative->end(), [&](const DateFound& r) {
      return r.status == DateFound::Status::found && r.date.day() == *day;
    });
    if (same != relative->end()) take(f, same->date);
  }
  for (auto& f : found) {
    if (f.status != DateFound::Status::partial || f.end > a.text.size()) continue;
    // "我上个月10号就拿到了", "next month on the 3rd": a day in the month
    // its clause names from this one is a whole date, whatever else it says.
    if (const auto month = month_from_now(clause_text(a.text, f))) {
      const std::chrono::year_month in = std::chrono::year_month{today_.year(), today_.month()} + std::chrono::months{*month};
      if (const auto day = day_alone(f))
        if (const Date d{in.year(), in.month(), *day}; d.ok()) take(f, d);
      continue;
    }
    if (date_words.empty()) continue;
    const auto day_said = day_alone(f);
    if (!day_said) continue;
    // (Not with a month named elsewhere: "i did my medical in june, on the
    // 10th", "got the letter last month, on the 4th" are asked about.)
    if (names_a_month(a.text)) continue;
    const DateKind* k = date_kind(meaning_of(a, f, found));
    if (k == nullptr) continue;
    const bool past = told_as_past(f), future = told_as_future(f);
    const auto day = *day_said;
    const std::chrono::year_month here{today_.year(), today_.month()};
    auto day_of = [&](std::chrono::year_month m) { return Date{m.year(), m.month(), day}; };
    const Date before = day_of(here - std::chrono::months{1}), now = day_of(here),
               after = day_of(here + std::chrono::months{1});
    std::optional<Date> last, next;
    for (const Date& d : {before, now})
      if (d.ok() && d <= today_) last = d;
    for (const Date& d : {after, now})
      if (d.ok() && d >= today_) next = d;
    const std::optional<Date> taken = k->done_when_told ? (past && !future ? last : std::nullopt)
                                                        : (!past ? next : std::nullopt);
    if (taken) take(f, *taken);
  }
  return found;
}

}  // namespace permit::dialogs
