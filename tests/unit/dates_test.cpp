// The date parser and calendar arithmetic: every accepted form, month ends,
// leap years, and the inputs it must refuse.

#include "dialogs/dates.hpp"

#include <gtest/gtest.h>

namespace permit::dialogs {
namespace {

using Status = DateFound::Status;
using namespace std::chrono;

Date ymd(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

TEST(FindDate, ReadsEveryAcceptedForm) {
  for (const char* text : {"2027-03-01", "2027/3/1", "2027.3.1", "2027-3-01", "2027年3月1日", "2027年3月1号",
                           "2027年03月01日", "１ March 2027" /* full-width digit */, "1 March 2027",
                           "1st March 2027", "1 Mar 2027", "1 march, 2027", "March 1, 2027", "March 1st, 2027",
                           "Mar 1 2027", "MARCH 1 2027", "２０２７年３月１日"}) {
    DateFound found = find_date(text);
    EXPECT_EQ(found.status, Status::found) << text;
    EXPECT_EQ(found.date, ymd(2027, 3, 1)) << text;
  }
}

TEST(FindDate, FindsTheDateInsideASentence) {
  DateFound en = find_date("Hi, my residence permit expires on 15 September 2027. What now?");
  ASSERT_EQ(en.status, Status::found);
  EXPECT_EQ(en.date, ymd(2027, 9, 15));
  EXPECT_EQ(en.text, "15 September 2027");
  DateFound zh = find_date("我的居留许可2027年12月31日到期");
  ASSERT_EQ(zh.status, Status::found);
  EXPECT_EQ(zh.date, ymd(2027, 12, 31));
  EXPECT_EQ(zh.text, "2027年12月31日");
  EXPECT_EQ(find_date("visa ends Sept 3rd 2027").date, ymd(2027, 9, 3));
}

TEST(FindDate, DayFirstOrMonthFirstOnlyWhenUnambiguous) {
  EXPECT_EQ(find_date("15/03/2027").date, ymd(2027, 3, 15));
  EXPECT_EQ(find_date("03/15/2027").date, ymd(2027, 3, 15));
  EXPECT_EQ(find_date("04/04/2027").date, ymd(2027, 4, 4));
  EXPECT_EQ(find_date("03/04/2027").status, Status::ambiguous);
  EXPECT_EQ(find_date("31/13/2027").status, Status::invalid);
}

TEST(FindDate, RefusesDatesThatDoNotExist) {
  EXPECT_EQ(find_date("2027-02-29").status, Status::invalid);  // 2027 is not a leap year
  EXPECT_EQ(find_date("2028-02-29").status, Status::found);    // 2028 is
  EXPECT_EQ(find_date("2100-02-29").status, Status::invalid);  // centuries are not, unless divisible by 400
  EXPECT_EQ(find_date("2000-02-29").status, Status::found);
  EXPECT_EQ(find_date("2027-02-30").status, Status::invalid);
  EXPECT_EQ(find_date("2027-04-31").status, Status::invalid);
  EXPECT_EQ(find_date("2027-13-01").status, Status::invalid);
  EXPECT_EQ(find_date("2027-00-10").status, Status::invalid);
  EXPECT_EQ(find_date("31 June 2027").status, Status::invalid);
  EXPECT_EQ(find_date("1850-01-01").status, Status::invalid);
}

TEST(FindDate, FindsNothingInTextWithoutADate) {
  for (const char* text : {"", "hello", "start", "下一步", "room 2027", "call 13800138000", "March 2027",
                           "2027-03", "12/2027", "done 2", "may I ask something"}) {
    EXPECT_EQ(find_date(text).status, Status::none) << text;
  }
}

TEST(CalendarArithmetic, AddDaysCrossesMonthYearAndLeapDay) {
  EXPECT_EQ(add_days(ymd(2027, 3, 1), -1), ymd(2027, 2, 28));
  EXPECT_EQ(add_days(ymd(2028, 3, 1), -1), ymd(2028, 2, 29));
  EXPECT_EQ(add_days(ymd(2027, 1, 1), -1), ymd(2026, 12, 31));
  EXPECT_EQ(add_days(ymd(2027, 12, 31), 1), ymd(2028, 1, 1));
  EXPECT_EQ(add_days(ymd(2027, 3, 1), -30), ymd(2027, 1, 30));
  EXPECT_EQ(add_days(ymd(2028, 3, 1), -30), ymd(2028, 1, 31));
}

TEST(CalendarArithmetic, AddMonthsFallsBackToTheLastDayOfShortMonths) {
  EXPECT_EQ(add_months(ymd(2027, 3, 31), -1), ymd(2027, 2, 28));
  EXPECT_EQ(add_months(ymd(2028, 3, 31), -1), ymd(2028, 2, 29));
  EXPECT_EQ(add_months(ymd(2027, 1, 31), 1), ymd(2027, 2, 28));
  EXPECT_EQ(add_months(ymd(2027, 5, 31), -1), ymd(2027, 4, 30));
  EXPECT_EQ(add_months(ymd(2027, 3, 15), -1), ymd(2027, 2, 15));
  EXPECT_EQ(add_months(ymd(2027, 1, 15), -1), ymd(2026, 12, 15));
  EXPECT_EQ(add_months(ymd(2027, 12, 15), 1), ymd(2028, 1, 15));
  EXPECT_EQ(add_months(ymd(2027, 3, 1), -12), ymd(2026, 3, 1));
}

TEST(CalendarArithmetic, DaysBetweenCountsLeapDays) {
  EXPECT_EQ(days_between(ymd(2027, 1, 1), ymd(2028, 1, 1)), 365);
  EXPECT_EQ(days_between(ymd(2028, 1, 1), ymd(2029, 1, 1)), 366);
  EXPECT_EQ(days_between(ymd(2027, 3, 1), ymd(2027, 2, 1)), -28);
}

TEST(DeadlineRule, AppliesMonthsThenDaysBeforeExpiry) {
  EXPECT_EQ(apply(DeadlineRule{.days_before = 30, .months_before = 0}, ymd(2027, 3, 1)), ymd(2027, 1, 30));
  EXPECT_EQ(apply(DeadlineRule{.days_before = 0, .months_before = 1}, ymd(2027, 3, 31)), ymd(2027, 2, 28));
  EXPECT_EQ(apply(DeadlineRule{.days_before = 0, .months_before = 1}, ymd(2028, 3, 30)), ymd(2028, 2, 29));
  EXPECT_EQ(apply(DeadlineRule{.days_before = 0, .months_before = 0}, ymd(2027, 3, 1)), ymd(2027, 3, 1));
}

TEST(DateFormat, IsoHasLeadingZeros) {
  EXPECT_EQ(iso(ymd(2027, 3, 1)), "2027-03-01");
  EXPECT_EQ(iso(ymd(2027, 12, 31)), "2027-12-31");
}

}  // namespace
}  // namespace permit::dialogs
