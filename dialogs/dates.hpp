#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace permit::dialogs {

// All of the bot's date reading (dates.cpp) and arithmetic (date_arithmetic.cpp)
// are declared here, on C++20 calendar types, so
// month ends, leap years and hours are handled in one tested place.
using Date = std::chrono::year_month_day;

struct DateFound {
  enum class Status {
    found,      // `date` holds a valid date
    none,       // the text holds nothing that looks like a date
    invalid,    // it looks like a date that does not exist (2027-02-30)
    ambiguous,  // 03/04/2027: March 4th or April 3rd?
    partial,    // a date without its day ("March 2027", "the 30th"): ask for the rest
  };
  Status status = Status::none;
  Date date{};
  // False when the text gave no year ("3 March"): `date` is then the
  // nearest such day to today, and the reply must say which year it took.
  bool year_given = true;
  // Read by find_relative_dates ("tomorrow", "下个月15号"): only beside
  // words that say what a date is, and so only in their clause.
  bool relative = false;
  // A count of days from today ("expires in 10 days"): no date when the
  // message hedges ("大概10天后到期").
  bool counted = false;
  // A day without its year, months gone this year, of something to come
  // (an expiry, a leaving) told with no word of the past: this year's
  // (long expired) or next year's? Asked, never guessed.
  bool year_unclear = false;
  // A part of a month ("end of january", "late march"): asked about only
  // beside a word of what it is ("my visa ends end of january"), never
  // for "i lost my passport at the end of november".
  bool vague = false;
  // "This monday" said at the weekend, when this week's Monday is past:
  // `date` is the coming one; a word of the past in its clause makes it
  // the one just gone (dates_given).
  bool this_at_weekend = false;
  // "This friday" said on a Tuesday: the one ahead this week; told as done,
  // no date (dates_given drops it).
  bool this_ahead = false;
  // "On monday": the next Monday; told as done, the last one; with neither
  // tense, no date (dates_given settles it).
  bool weekday_alone = false;
  std::string text;                // the part of the message read as a date
  std::size_t begin = 0, end = 0;  // where that part is, in the text as given
};

// Finds the dates in a student's message, in order. Accepted forms:
// 2027-03-01, 2027/3/1, 2027.3.1, 2027年3月1日 (full-width digits too),
// 1 March 2027, 1st Mar 2027, the 1st of March 2027, March 1, 2027,
// Mar 1st 2027, and dd/mm/yyyy where the day is over 12 (otherwise it is
// ambiguous). With `today`, the same without a year ("3rd March",
// "March 3rd", "3月3日") read as the nearest such day to today; without
// it, those are partial.
std::vector<DateFound> find_dates(std::string_view text, std::optional<Date> today = std::nullopt);

// "Today", "yesterday", "tomorrow" (今天, 昨天, 明天, 前天, 后天), "next
// Friday" (下周五, 这周一), "last Monday" (the one just past; 上周一, of
// the week before), and a day of this or next month ("下个月15号",
// "the 15th of next month"), and a day and month in numbers without the
// year ("03/04": ambiguous; "15/3") as dates (relative_dates.cpp).
// Apart from find_dates: "is it open today?" holds no date the bot should
// note; the caller reads these only where the words say what a date is.
std::vector<DateFound> find_relative_dates(std::string_view text, Date today);

// Whether an ordinal before this word counts something, not a day ("the
// 2nd time", "the 3rd floor").
bool counts_something(std::string_view word);

// "Expires in 10 days", "还有两周就到期了": counts ahead of today beside the
// word of running out, added to `out` (counted_dates.cpp).
void find_offsets(std::string_view text, Date today, std::vector<DateFound>& out);

// Whether a Latin letter is at `at`: for reading whole words only.
bool latin_letter_at(std::string_view text, std::size_t at);

// "Got the letter 3 weeks ago", "公函3个星期前就拿了": today moved back by
// a count of days or weeks, as dates (counted). The caller reads them only
// for an event done when told, in a message that asks its deadline.
std::vector<DateFound> find_counts_back(std::string_view text, Date today);
// Each count of days or weeks in `text` ("4 days", "逾期4天", "两个星期"),
// where it begins and how many days, in text order.
std::vector<std::pair<std::size_t, int>> day_counts(std::string_view text);

// "It was the 9th", "是2号": the days of the month said alone, read as
// that day of `month_of`'s month (a correction of a date just given). Not
// "3月9号" (a whole date), nor "9号楼" (a building).
std::vector<DateFound> find_days_alone(std::string_view text, Date month_of);

// The day and month of a date written in numbers ("15/03", "03/15"): a
// number over 12 is the day; equal numbers are both. Otherwise invalid
// (both over 12) or ambiguous (either could be the month).
struct NumericDayMonth {
  DateFound::Status status;
  int month = 0, day = 0;
};
NumericDayMonth numeric_day_month(int a, int b);

// The nearest day with month `m` and day `d` to `today`: last year's, this
// year's or next year's (none for 29 February without a leap year near).
std::optional<Date> nearest(unsigned m, unsigned d, Date today);

// "the last day of february", "2月最后一天": that month's last day, the
// nearest such to `today` (that year's, if one is said), added to `out`.
void find_last_days(std::string_view text, Date today, std::vector<DateFound>& out);

// The first date found, or one with status none.
DateFound find_date(std::string_view text, std::optional<Date> today = std::nullopt);

// Exactly YYYY-MM-DD, as the bot stores dates.
std::optional<Date> parse_iso(std::string_view text);

// A time of day in the text ("15:30", "3pm", "3 pm", "下午3点"), in minutes
// after midnight.
// `where`, if given, is set to the bytes of the text that say it.
std::optional<std::chrono::minutes> find_time_of_day(std::string_view text,
                                                     std::pair<std::size_t, std::size_t>* where = nullptr);

// Calendar arithmetic. Adding months keeps the day of the month when it
// exists and otherwise falls back to the month's last day (31 March minus
// one month is 28 or 29 February).
Date add_days(Date date, int days);
Date add_months(Date date, int months);
int days_between(Date from, Date to);  // to - from, in days

std::string iso(Date date);  // 2027-03-01

// A moment a rule counts from or to: a day, and the time of day when the
// student gave one.
// The days of the week, Monday first, as students write them in English
// and in Chinese after "周", "星期" ("周五").
inline constexpr std::string_view kWeekdays[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
inline constexpr std::string_view kZhWeekdays[] = {"一", "二", "三", "四", "五", "六", "日"};

struct Moment {
  Date date{};
  std::optional<std::chrono::minutes> time;
};

// How far a deadline lies from the date it counts from: "30 days before",
// "one month before", "within 10 days after", "within 24 hours after".
struct Offset {
  // workdays: Monday to Friday (public holidays are not known here).
  enum class Unit { hours, days, workdays, months };
  int amount = 0;
  Unit unit = Unit::days;
  bool before = true;
};

// The deadline an offset gives. Hours move the time of day when it is
// known; without it, whole days of 24 hours are counted (24 hours after a
// day is the same time on the next day).
Moment apply(const Offset& offset, const Moment& from);

std::string iso(const Moment& moment);  // 2027-03-01, or 2027-03-01 15:30

}  // namespace permit::dialogs
