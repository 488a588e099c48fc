// Date arithmetic: the one place deadlines are counted (days, months,
// working days, hours) and dates written out. dates.cpp finds dates in a
// student's words; this file computes with them.

#include "dialogs/dates.hpp"

#include <cstdio>

namespace permit::dialogs {

using namespace std::chrono;

Date add_days(Date date, int days) { return Date{sys_days{date} + std::chrono::days{days}}; }

Date add_months(Date date, int months) {
  year_month ym = year_month{date.year(), date.month()} + std::chrono::months{months};
  const day last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  return Date{ym.year(), ym.month(), date.day() <= last ? date.day() : last};
}

int days_between(Date from, Date to) { return static_cast<int>((sys_days{to} - sys_days{from}).count()); }

std::string iso(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

Moment apply(const Offset& offset, const Moment& from) {
  const int sign = offset.before ? -1 : 1;
  switch (offset.unit) {
    case Offset::Unit::months:
      return {add_months(from.date, sign * offset.amount), from.time};
    case Offset::Unit::days:
      return {add_days(from.date, sign * offset.amount), from.time};
    case Offset::Unit::workdays: {
      Date day = from.date;
      for (int left = offset.amount; left > 0;) {
        day = add_days(day, sign);
        const std::chrono::weekday w{sys_days{day}};
        if (w != std::chrono::Saturday && w != std::chrono::Sunday) --left;
      }
      return {day, from.time};
    }
    case Offset::Unit::hours: {
      if (!from.time) return {add_days(from.date, sign * (offset.amount / 24)), std::nullopt};
      const auto at = sys_days{from.date} + *from.time + std::chrono::hours{sign * offset.amount};
      const auto day_of = floor<std::chrono::days>(at);
      return {Date{day_of}, duration_cast<std::chrono::minutes>(at - day_of)};
    }
  }
  return from;
}

std::string iso(const Moment& moment) {
  std::string out = iso(moment.date);
  if (moment.time) {
    char buffer[8];
    const auto minutes = moment.time->count();
    std::snprintf(buffer, sizeof buffer, " %02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
    out += buffer;
  }
  return out;
}

}  // namespace permit::dialogs
