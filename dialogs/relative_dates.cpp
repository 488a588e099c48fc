#include "dialogs/dates.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>

// Dates said relative to today: "tomorrow", "next Friday", "下个月15号".
// Apart from dates.cpp, which reads dates written out.

namespace permit::dialogs {

using namespace std::chrono;

namespace {

// The day of the month a student names as "N号"/"N日" or "the Nth" after
// or before a month said relative to this one: the date, or invalid (the
// 31st of a month of 30 days).
DateFound day_of_month(std::string_view text, std::size_t begin, std::size_t end, int day, int months_on, Date today) {
  DateFound f;
  const year_month month = year_month{today.year(), today.month()} + months{months_on};
  f.date = Date{month.year(), month.month(), std::chrono::day{static_cast<unsigned>(day)}};
  f.status = day >= 1 && f.date.ok() ? DateFound::Status::found : DateFound::Status::invalid;
  f.begin = begin;
  f.end = end;
  f.text = std::string(text.substr(begin, end - begin));
  return f;
}

// Reads 1-2 digits at `at`; their value, and `at` moved past them.
int digits_at(std::string_view text, std::size_t& at) {
  int value = 0, count = 0;
  while (at < text.size() && count < 3 && std::isdigit(static_cast<unsigned char>(text[at]))) {
    value = value * 10 + (text[at++] - '0');
    ++count;
  }
  return count >= 1 && count <= 2 ? value : -1;
}

// "15号楼", "2号线", "1号窗口": a building, a line, a window numbered so,
// when these follow "N号"; "30日内": within 30 days. Not a day.
bool numbered_place(std::string_view after) {
  static constexpr std::string_view kNumbered[] = {"楼", "院", "宿", "房", "门", "窗", "公寓", "线", "床",
                                                   "柜", "室", "栋", "单元", "馆", "教", "口", "柜台", "内", "之内"};
  return std::any_of(std::begin(kNumbered), std::end(kNumbered), [&](std::string_view w) { return after.starts_with(w); });
}

// "下个月15号", "上个月10号", "本月20日", "next month on the 15th", "the 15th
// of last month", "15th this month". (Not "下下个月", two months on.)
void find_month_days(std::string_view text, Date today, std::vector<DateFound>& out) {
  static constexpr std::pair<std::string_view, int> kZh[] = {
      {"下个月", 1}, {"下月", 1}, {"上个月", -1}, {"上月", -1}, {"这个月", 0}, {"本月", 0}, {"这月", 0}};
  for (const auto& [word, on] : kZh) {
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + word.size())) {
      const std::string_view before = text.substr(0, at);
      if (before.ends_with("下") || before.ends_with("上") || before.ends_with("个")) continue;
      std::size_t i = at + word.size();
      while (i < text.size() && text[i] == ' ') ++i;
      if (text.substr(i).starts_with("的")) i += std::string_view("的").size();  // "上个月的10号"
      const int day = digits_at(text, i);
      if (day < 0) continue;
      if (!text.substr(i).starts_with("号") && !text.substr(i).starts_with("日")) continue;
      // "下个月15号楼搬家", "这个月1号窗口": a building, a room or a window
      // numbered so, not a day.
      const std::string_view after = text.substr(i + std::string_view("号").size());
      if (numbered_place(after)) continue;
      out.push_back(day_of_month(text, at, i + std::string_view("号").size(), day, on, today));
    }
  }
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto skip = [&](std::size_t& i, std::string_view word) {
    std::size_t j = i;
    while (j < lower.size() && lower[j] == ' ') ++j;
    if (std::string_view(lower).substr(j).starts_with(word) && !latin_letter_at(lower, j + word.size())) i = j + word.size();
  };
  auto ordinal = [&](std::size_t& i) {
    for (std::string_view suffix : {"st", "nd", "rd", "th"})
      if (std::string_view(lower).substr(i).starts_with(suffix) && !latin_letter_at(lower, i + 2)) {
        i += 2;
        return true;
      }
    return false;
  };
  static constexpr std::pair<std::string_view, int> kEn[] = {{"next month", 1}, {"last month", -1}, {"this month", 0}};
  for (const auto& [phrase, on] : kEn) {
    for (std::size_t at = lower.find(phrase); at != std::string::npos; at = lower.find(phrase, at + 1)) {
      if ((at > 0 && latin_letter_at(lower, at - 1)) || latin_letter_at(lower, at + phrase.size())) continue;
      // After: "next month on the 15th", "next month, the 15th".
      std::size_t i = at + phrase.size();
      if (i < lower.size() && lower[i] == ',') ++i;
      skip(i, "on");
      skip(i, "the");
      while (i < lower.size() && lower[i] == ' ') ++i;
      if (int day = digits_at(lower, i); day >= 0 && ordinal(i)) {
        out.push_back(day_of_month(text, at, i, day, on, today));
        continue;
      }
      // Before: "the 15th of next month", "15th this month".
      std::size_t end = at + phrase.size(), b = at;
      while (b > 0 && lower[b - 1] == ' ') --b;
      if (b >= 2 && std::string_view(lower).substr(b - 2, 2) == "of" && (b == 2 || !latin_letter_at(lower, b - 3))) {
        b -= 2;
        while (b > 0 && lower[b - 1] == ' ') --b;
      }
      if (b < 2) continue;
      const std::string_view suffix = std::string_view(lower).substr(b - 2, 2);
      if (suffix != "st" && suffix != "nd" && suffix != "rd" && suffix != "th") continue;
      std::size_t first = b - 2;
      while (first > 0 && std::isdigit(static_cast<unsigned char>(lower[first - 1])) && b - 2 - first < 2) --first;
      std::size_t i2 = first;
      const int day = digits_at(lower, i2);
      if (day < 0 || i2 != b - 2 || (first > 0 && (std::isdigit(static_cast<unsigned char>(lower[first - 1])) ||
                                                  latin_letter_at(lower, first - 1))))
        continue;
      std::size_t begin = first;
      if (begin >= 4 && std::string_view(lower).substr(begin - 4, 4) == "the ") begin -= 4;
      out.push_back(day_of_month(text, begin, end, day, on, today));
    }
  }
}

// The day of the week named right before or after text[begin, end) ("friday
// 12-04", "12-04 (Fri)", "周五12-04"), Monday 0; -1 for none.
int weekday_beside(std::string_view text, std::size_t begin, std::size_t end) {
  auto gap = [](char c) { return c == ' ' || c == ',' || c == '(' || c == ')'; };
  std::size_t b = begin;
  while (b > 0 && gap(text[b - 1])) --b;
  if (b >= 3 && text.substr(b - 3, 3) == " on") b -= 3;  // "friday on 12-04" is rare; "on friday 12-04" is not this
  std::size_t e = end;
  while (e < text.size() && gap(text[e])) ++e;
  const std::string_view before = text.substr(0, b), after = text.substr(e);
  auto word_end = [&](std::string_view rest, std::size_t n) {
    return rest.size() == n || !std::isalpha(static_cast<unsigned char>(rest[n]));
  };
  for (int d = 0; d < 7; ++d) {
    const std::string_view full = kWeekdays[d], abbr = kWeekdays[d].substr(0, 3);
    for (std::string_view name : {full, abbr}) {
      if (before.ends_with(name) &&
          (before.size() == name.size() || !std::isalpha(static_cast<unsigned char>(before[before.size() - name.size() - 1]))))
        return d;
      if (after.starts_with(name) && word_end(after, name.size())) return d;
    }
    for (std::string_view week : {std::string_view("周"), std::string_view("星期")}) {
      const std::string zh = std::string(week) + std::string(kZhWeekdays[d]);
      if (before.ends_with(zh) || after.starts_with(zh)) return d;
    }
  }
  return -1;
}

// "Expires 15/3", "03/04": a day and a month in numbers, without the year,
// read only beside words that say what the date is (so "open 24/7" is no
// date). Both 12 or under and not equal: which is the month is asked,
// unless a day of the week beside it fits one order only ("friday 12-04":
// 4 December 2026 is a Friday). With a dash, only beside a day of the week:
// "3-5 years" and "8-11" are no dates.
void find_slash_days(std::string_view text, Date today, std::vector<DateFound>& out) {
  auto digit = [&](std::size_t i) { return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); };
  for (const char sep : {'/', '-'}) {
    for (std::size_t slash = text.find(sep); slash != std::string_view::npos; slash = text.find(sep, slash + 1)) {
      std::size_t begin = slash;
      while (begin > 0 && digit(begin - 1) && slash - begin < 3) --begin;
      std::size_t end = slash + 1;
      while (digit(end) && end - slash - 1 < 3) ++end;
      const std::size_t left = slash - begin, right = end - slash - 1;
      if (left < 1 || left > 2 || right < 1 || right > 2) continue;
      auto joined = [&](std::size_t i) { return text[i] == '/' || text[i] == '-' || text[i] == ':' || text[i] == '.'; };
      if ((begin > 0 && (digit(begin - 1) || joined(begin - 1))) || digit(end) || (end < text.size() && joined(end)))
        continue;
      const int a = std::stoi(std::string(text.substr(begin, left))), b = std::stoi(std::string(text.substr(slash + 1, right)));
      if (a < 1 || b < 1 || (a > 12 && b > 12)) continue;  // 24/35, 0/5: not a date
      const int weekday = weekday_beside(text, begin, end);
      if (sep == '-' && weekday < 0) continue;
      DateFound f;
      f.begin = begin;
      f.end = end;
      f.text = std::string(text.substr(begin, end - begin));
      f.year_given = false;
      NumericDayMonth dm = numeric_day_month(a, b);
      if (weekday >= 0) {
        // Of the two orders, the one whose nearest date is that day of the week.
        std::vector<Date> fits;
        for (const auto& [m, d] : {std::pair{a, b}, std::pair{b, a}})
          if (m <= 12)
            if (auto on = nearest(static_cast<unsigned>(m), static_cast<unsigned>(d), today);
                on && static_cast<int>(std::chrono::weekday{sys_days{*on}}.iso_encoding()) - 1 == weekday &&
                std::find(fits.begin(), fits.end(), *on) == fits.end())
              fits.push_back(*on);
        if (fits.size() == 1) {
          f.status = DateFound::Status::found;
          f.date = fits.front();
          out.push_back(std::move(f));
          continue;
        }
      }
      f.status = dm.status;
      if (dm.status == DateFound::Status::found) {
        const auto day_of = nearest(static_cast<unsigned>(dm.month), static_cast<unsigned>(dm.day), today);
        if (!day_of) {
          if (dm.day > 31) continue;
          f.status = DateFound::Status::invalid;
        } else {
          f.date = *day_of;
        }
      }
      out.push_back(std::move(f));
    }
  }
}

// "My permit runs out on new year's day", "圣诞节那天搬的家": the days of a
// fixed date every year, as the nearest such day to today (as "3月3号"
// is). Not the lunar festivals, whose dates move, nor "labor day" (the
// first Monday of September in America, 1 May elsewhere).
void find_named_days(std::string_view text, Date today, std::vector<DateFound>& out) {
  struct Named {
    std::string_view word;
    unsigned month, day;
  };
  static constexpr Named kNamed[] = {
      {"new year's day", 1, 1}, {"new years day", 1, 1}, {"new year day", 1, 1}, {"new year s day", 1, 1},
      {"元旦", 1, 1},           {"christmas day", 12, 25}, {"christmas eve", 12, 24}, {"christmas", 12, 25},
      {"xmas", 12, 25},         {"圣诞节", 12, 25},       {"平安夜", 12, 24},       {"national day", 10, 1},
      {"国庆节", 10, 1},        {"国庆", 10, 1},          {"劳动节", 5, 1},         {"五一", 5, 1},
      {"valentine's day", 2, 14}, {"valentines day", 2, 14}, {"valentine s day", 2, 14}, {"valentine day", 2, 14},
      {"情人节", 2, 14},        {"halloween", 10, 31}};
  std::vector<std::pair<std::size_t, std::size_t>> taken;
  for (const auto& [word, month, day] : kNamed) {
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + word.size())) {
      const std::size_t end = at + word.size();
      const bool latin = static_cast<unsigned char>(word[0]) < 0x80;
      if (latin && ((at > 0 && latin_letter_at(text, at - 1)) || latin_letter_at(text, end))) continue;  // whole words only
      // "christmas" inside "christmas eve", "国庆" inside "国庆节".
      if (std::any_of(taken.begin(), taken.end(), [&](const auto& t) { return at < t.second && t.first < end; }))
        continue;
      // "last christmas", "去年国庆节", "before christmas", "国庆前": another
      // year's or a time around it, which the nearest day is not; "lunar new
      // year's day" moves every year. Asked about instead.
      const std::string_view before = text.substr(0, at);
      bool qualified = false;
      for (std::string_view q : {"last ", "next ", "this ", "before ", "after ", "until ", "till ", "chinese ", "lunar ",
                                 "spring ", "去年", "明年", "今年", "前年", "后年", "农历"})
        qualified = qualified || before.ends_with(q);
      for (std::string_view q : {"前", "后", "之前", "以前", "之后", "以后"})
        qualified = qualified || text.substr(end).starts_with(q);
      // ("七夕情人节" is in August, "白色情人节" in March.)
      for (std::string_view q : {"七夕", "白色"})
        qualified = qualified || before.ends_with(q);
      if (qualified) continue;
      // "halloween 2027", "2028年情人节": that year's.
      std::optional<int> year;
      auto four_digits = [](std::string_view t) {
        return t.size() >= 4 && std::all_of(t.begin(), t.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
      };
      std::size_t span_begin = at, span_end = end;
      if (const std::string_view after_word = text.substr(end);
          after_word.size() >= 5 && (after_word[0] == ' ' || after_word[0] == ',') && four_digits(after_word.substr(1)) &&
          (after_word.size() == 5 || !std::isdigit(static_cast<unsigned char>(after_word[5])))) {
        year = std::stoi(std::string(after_word.substr(1, 4)));
        span_end = end + 5;
      } else if (constexpr std::string_view kYear = "年";
                 before.ends_with(kYear) && before.size() >= 4 + kYear.size() &&
                 four_digits(before.substr(before.size() - 4 - kYear.size()))) {
        span_begin = at - 4 - kYear.size();
        year = std::stoi(std::string(text.substr(span_begin, 4)));
      }
      // "元旦放假的时候", "over the christmas holidays": a holiday's days
      // off, not one day.
      std::size_t next = end;
      while (next < text.size() && text[next] == ' ') ++next;
      const std::string_view after = text.substr(next);
      if (after.starts_with("放假") || after.starts_with("假") || after.starts_with("holiday") ||
          after.starts_with("break") || after.starts_with("vacation") || after.starts_with("期间") ||
          after.starts_with("前后") || after.starts_with("左右"))
        continue;
      // "五一" is also "five-one" inside a number or a name ("五一路").
      if (word == "五一" && (text.substr(end).starts_with("路") || text.substr(0, at).ends_with("十"))) continue;
      const auto date = year ? std::optional<Date>(Date{std::chrono::year{*year}, std::chrono::month{month},
                                                        std::chrono::day{day}})
                             : nearest(month, day, today);
      if (!date) continue;
      taken.emplace_back(span_begin, span_end);
      DateFound f;
      f.status = DateFound::Status::found;
      f.date = *date;
      f.year_given = year.has_value();
      f.text = std::string(text.substr(span_begin, span_end - span_begin));
      f.begin = span_begin;
      f.end = span_end;
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

bool latin_letter_at(std::string_view text, std::size_t at) {
  return at < text.size() && std::isalpha(static_cast<unsigned char>(text[at]));
}

std::vector<DateFound> find_relative_dates(std::string_view text, Date today) {
  static constexpr std::pair<std::string_view, int> kWords[] = {
      {"the day before yesterday", -2}, {"day after tomorrow", 2}, {"yesterday", -1}, {"today", 0}, {"tomorrow", 1},
      {"this morning", 0}, {"this afternoon", 0}, {"tonight", 0}, {"last night", -1},
      {"前天", -2}, {"昨天", -1}, {"昨晚", -1}, {"今天", 0}, {"今早", 0}, {"今晚", 0}, {"明天", 1}, {"后天", 2}};
  std::vector<DateFound> out;
  std::vector<std::pair<std::size_t, std::size_t>> taken;
  for (const auto& [word, days] : kWords) {
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + word.size())) {
      const std::size_t end = at + word.size();
      const bool latin = static_cast<unsigned char>(word[0]) < 0x80;
      if (latin && ((at > 0 && latin_letter_at(text, at - 1)) || latin_letter_at(text, end))) continue;  // whole words only
      const bool inside = std::any_of(taken.begin(), taken.end(), [&](const auto& t) { return at < t.second && t.first < end; });
      if (inside) continue;  // "yesterday" inside "the day before yesterday"
      taken.emplace_back(at, end);
      DateFound f;
      f.status = DateFound::Status::found;
      f.date = add_days(today, days);
      f.text = std::string(text.substr(at, word.size()));
      f.begin = at;
      f.end = end;
      out.push_back(std::move(f));
    }
  }
  // "Next Friday", "下周五": that day of next week (Monday to Sunday);
  // "这周五": of this week. (Not English "this Friday": said at the
  // weekend it means the coming one as often as the last; nor "下下周五",
  // two weeks on, nor "下周一定" ("surely next week").)
  // "Last Monday", said on a Saturday, is the Monday just past (5 days
  // ago, as "上周一" is the Monday of the week before): "last" counts back
  // from today, not by weeks.
  // "This coming Monday" is the next such day after today. So is "this
  // Monday" at the weekend, when the week's Monday is past, unless told as
  // done ("I moved this monday": dates_given takes the one past). "This
  // friday" on a Tuesday is the one ahead, but none when told as done ("i
  // submitted this friday" said on a Wednesday: dates_given drops it).
  struct Week {
    std::string_view word;
    int offset;           // weeks from this one
    bool just_past = false;  // the last such day before today instead
    bool coming = false;     // the next such day after today instead
    bool this_one = false;   // "this ": a day ahead this week, or at the weekend the next one
    bool bare = false;       // "on ": the next one, for dates_given to settle by the tense
  };
  static constexpr std::string_view kEndsWithShang[] = {"马", "早", "晚", "网", "以", "路", "晨"};
  static constexpr Week kWeeks[] = {
      {"next ", 1},    {"下周", 1},    {"下星期", 1},  {"下礼拜", 1},   {"这周", 0},         {"本周", 0},
      {"这星期", 0},   {"这个星期", 0}, {"last ", 0, true}, {"上周", -1}, {"上星期", -1}, {"上礼拜", -1},
      {"上个星期", -1}, {"coming ", 0, false, true}, {"this ", 0, false, false, true}, {"on ", 0, false, false, false, true}};
  const int today_index = static_cast<int>(std::chrono::weekday{sys_days{today}}.iso_encoding()) - 1;  // Monday 0
  const bool weekend = today_index >= 5;
  for (const auto& [week, offset, just_past, coming, this_one, bare] : kWeeks) {
    for (std::size_t at = text.find(week); at != std::string_view::npos; at = text.find(week, at + week.size())) {
      const bool latin = static_cast<unsigned char>(week[0]) < 0x80;
      if (latin && at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]))) continue;
      // ("this coming monday" is read by "coming ".)
      if (this_one && text.substr(at + week.size()).starts_with("coming ")) continue;
      // (Not "下下周五", two weeks on, nor "马上周一去", "right away on
      // Monday": 上 there ends another word.)
      if (!latin && at >= std::string_view("下").size()) {
        const std::string_view before = text.substr(0, at);
        if (before.ends_with("下") || before.ends_with("上")) continue;
        if (week.starts_with("上"))
          if (std::any_of(std::begin(kEndsWithShang), std::end(kEndsWithShang),
                          [&](std::string_view w) { return before.ends_with(w); }))
            continue;
      }
      const std::string_view rest = text.substr(at + week.size());
      for (int d = 0; d < 7; ++d) {
        std::string_view name = latin ? kWeekdays[d] : kZhWeekdays[d];
        std::size_t length = name.size();
        if (!rest.starts_with(name) && !(latin && rest.size() >= 3 && rest.substr(0, 3) == kWeekdays[d].substr(0, 3) &&
                                         (rest.size() == 3 || !std::isalpha(static_cast<unsigned char>(rest[3]))))) {
          if (!latin && d == 6 && rest.starts_with("天")) length = std::string_view("天").size();
          else continue;
        } else if (!rest.starts_with(name)) {
          length = 3;  // "next fri"
        }
        if (latin && rest.size() > length && std::isalpha(static_cast<unsigned char>(rest[length]))) continue;
        if (!latin && (rest.substr(length).starts_with("定") || rest.substr(length).starts_with("直") ||
                       rest.substr(length).starts_with("样")))
          continue;
        // ("on friday 12-04", "on monday the 7th": the written date says
        // which Friday.)
        if (bare) {
          std::string_view after = rest.substr(length);
          while (!after.empty() && (after.front() == ' ' || after.front() == ',' || after.front() == '(')) after.remove_prefix(1);
          if (after.starts_with("the ")) after.remove_prefix(4);
          if (!after.empty() && std::isdigit(static_cast<unsigned char>(after.front()))) break;
        }
        // "this monday" on a Wednesday: which one? "this saturday" on a
        // Saturday: today, or a week on?
        if (this_one && d <= today_index && (!weekend || d == today_index)) break;
        DateFound f;
        f.status = DateFound::Status::found;
        f.date = just_past                       ? add_days(today, -((today_index - d + 6) % 7 + 1))
                 : coming || bare || (this_one && d < today_index) ? add_days(today, (d - today_index + 6) % 7 + 1)
                                                   : add_days(today, 7 * offset + d - today_index);
        f.begin = at;
        f.end = at + week.size() + length;
        f.text = std::string(text.substr(f.begin, f.end - f.begin));
        f.this_at_weekend = this_one && d < today_index;
        f.this_ahead = this_one && d > today_index;
        f.weekday_alone = bare;
        out.push_back(std::move(f));
        break;
      }
    }
  }
  find_named_days(text, today, out);
  find_offsets(text, today, out);
  find_month_days(text, today, out);
  find_slash_days(text, today, out);
  for (DateFound& f : out) f.relative = true;
  std::sort(out.begin(), out.end(), [](const DateFound& a, const DateFound& b) { return a.begin < b.begin; });
  return out;
}

std::vector<DateFound> find_days_alone(std::string_view text, Date month_of) {
  std::vector<DateFound> out;
  auto digit = [&](std::size_t i) { return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!digit(i) || (i > 0 && (digit(i - 1) || std::isalpha(static_cast<unsigned char>(text[i - 1])) ||
                                text[i - 1] == '/' || text[i - 1] == '-' || text[i - 1] == '.')))
      continue;
    std::size_t end = i;
    const int day = digits_at(text, end);
    if (day < 1 || day > 31) continue;
    const std::string_view rest = text.substr(end);
    std::size_t length = 0;
    for (std::string_view suffix : {"st", "nd", "rd", "th", "号", "日"})
      if (rest.starts_with(suffix)) length = suffix.size();
    if (length == 0) continue;
    // "9thx" is no day, nor "the 2nd time", "the 3rd floor".
    if (std::isalpha(static_cast<unsigned char>(text[end]))) {
      std::size_t next = end + length;
      if (next < text.size() && std::isalpha(static_cast<unsigned char>(text[next]))) continue;
      while (next < text.size() && text[next] == ' ') ++next;
      std::size_t word_end = next;
      while (word_end < text.size() && std::isalpha(static_cast<unsigned char>(text[word_end]))) ++word_end;
      if (counts_something(text.substr(next, word_end - next))) continue;
    }
    // "3月9号" is a whole date (find_dates); "9号楼" a building, "30日内"
    // within 30 days.
    const std::string_view before = text.substr(0, i), after = rest.substr(length);
    if (before.ends_with("月") || numbered_place(after)) continue;
    DateFound f;
    f.date = Date{month_of.year(), month_of.month(), std::chrono::day{static_cast<unsigned>(day)}};
    f.status = f.date.ok() ? DateFound::Status::found : DateFound::Status::invalid;
    f.begin = i >= 4 && text.substr(i - 4, 4) == "the " ? i - 4 : i;
    f.end = end + length;
    f.text = std::string(text.substr(f.begin, f.end - f.begin));
    f.year_given = true;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace permit::dialogs
