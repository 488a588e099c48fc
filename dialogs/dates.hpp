#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace permit::dialogs {

// All of the bot's date arithmetic lives here, on C++20 calendar types, so
// month ends and leap years are handled in one tested place.
using Date = std::chrono::year_month_day;

struct DateFound {
  enum class Status {
    found,      // `date` holds a valid date
    none,       // the text holds nothing that looks like a date
    invalid,    // it looks like a date that does not exist (2027-02-30)
    ambiguous,  // 03/04/2027: March 4th or April 3rd?
  };
  Status status = Status::none;
  Date date{};
  std::string text;  // the part of the message that was read as a date
};

// Finds a date in a student's message. Accepted forms: 2027-03-01,
// 2027/3/1, 2027.3.1, 2027年3月1日 (full-width digits too), 1 March 2027,
// 1st Mar 2027, March 1, 2027, Mar 1st 2027, and dd/mm/yyyy where the day
// is over 12 (otherwise it is ambiguous).
DateFound find_date(std::string_view text);

// Calendar arithmetic. Adding months keeps the day of the month when it
// exists and otherwise falls back to the month's last day (31 March minus
// one month is 28 or 29 February).
Date add_days(Date date, int days);
Date add_months(Date date, int months);
int days_between(Date from, Date to);  // to - from, in days

std::string iso(Date date);  // 2027-03-01

// A date rule from a script: how far before the permit's expiry something
// must happen.
struct DeadlineRule {
  int days_before = 0;
  int months_before = 0;
};

Date apply(const DeadlineRule& rule, Date expiry);

}  // namespace permit::dialogs
