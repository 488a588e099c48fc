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
                           "Mar 1 2027", "Mar. 1, 2027", "MARCH 1 2027", "２０２７年３月１日"}) {
    DateFound found = find_date(text);
    EXPECT_EQ(found.status, Status::found) << text;
    EXPECT_EQ(found.date, ymd(2027, 3, 1)) << text;
  }
}

// "The last day of february": that month's last day, the nearest such to
// today (as "3月3号" is), or the year said (a leap year's 29 February).
TEST(FindDate, TheLastDayOfAMonthIsAWholeDate) {
  const Date today = ymd(2026, 12, 5);
  const std::pair<const char*, Date> cases[] = {{"my visa ends on the last day of february", ymd(2027, 2, 28)},
                                                {"the last day of december", ymd(2026, 12, 31)},
                                                {"last day of nov", ymd(2026, 11, 30)},
                                                {"expires the last day of february 2028", ymd(2028, 2, 29)},
                                                {"居留许可2月最后一天到期", ymd(2027, 2, 28)}};
  for (const auto& [text, date] : cases) {
    const auto found = find_dates(text, today);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found.front().status, Status::found) << text;
    EXPECT_EQ(found.front().date, date) << text;
  }
  EXPECT_TRUE(find_dates("the last day of class", today).empty());
}

TEST(FindDate, ADayOfTheMonthWithItsWeekdayIsTheNearestSuchDay) {
  const Date today = ymd(2026, 12, 5);  // a Saturday
  auto one = [&](std::string_view text) { return find_dates(text, today).at(0); };
  EXPECT_EQ(one("on Monday the 7th").date, ymd(2026, 12, 7));
  EXPECT_EQ(one("did the test on Friday the 4th, when").date, ymd(2026, 12, 4));
  EXPECT_EQ(one("fri 4th").date, ymd(2026, 12, 4));
  EXPECT_FALSE(one("Monday the 7th").year_given);
  // Within a month either way: Tuesday the 9th is not near (Dec 9 is a Wednesday).
  EXPECT_EQ(one("on Tuesday the 9th").status, DateFound::Status::partial);
  // With its month, the month decides.
  EXPECT_EQ(one("Monday the 7th of December").date, ymd(2026, 12, 7));
  // Without a weekday, a day alone is still asked about.
  EXPECT_EQ(one("on the 7th").status, DateFound::Status::partial);
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
  // The year in two digits, as students write it: this century's.
  EXPECT_EQ(find_date("visa ends 15/03/27").date, ymd(2027, 3, 15));
  EXPECT_EQ(find_date("visa ends 05/06/27, last day to apply?").status, Status::ambiguous);
  EXPECT_EQ(find_date("1.2.3").status, Status::none);  // not a date: no two-digit year
  EXPECT_EQ(find_date("my residence permit expires 27.01.20").status, Status::none);  // year first: not read as 2020
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
  for (const char* text : {"", "hello", "start", "下一步", "room 2027", "call 13800138000", "2027-03", "12/2027",
                           "done 2", "may I ask something", "No.6888, Yanhe Street", "1号窗口", "3.5cm×4.5cm photo",
                           "open 24/7", "the 3 of us", "10,000 yuan", "3个工作日", "延河街6888号"}) {
    EXPECT_EQ(find_date(text).status, Status::none) << text;
  }
}

TEST(FindDate, ReadsFreeFormsWithTheirYear) {
  for (const char* text : {"the 3rd of March 2027", "3rd of March 2027", "3rd March 2027", "March the 3rd, 2027",
                           "on march 3rd 2027", "2027年3月3日"}) {
    DateFound found = find_date(text);
    EXPECT_EQ(found.status, Status::found) << text;
    EXPECT_EQ(found.date, ymd(2027, 3, 3)) << text;
    EXPECT_TRUE(found.year_given) << text;
  }
}

TEST(FindDate, WithoutAYearTakesTheNearestSuchDayAndSaysSo) {
  const Date today = ymd(2026, 12, 5);
  for (const char* text : {"3rd March", "March 3rd", "3 March", "Mar 3", "3月3日", "3月3号", "the 3rd of March"}) {
    DateFound found = find_date(text, today);
    EXPECT_EQ(found.status, Status::found) << text;
    EXPECT_EQ(found.date, ymd(2027, 3, 3)) << text;
    EXPECT_FALSE(found.year_given) << text;
  }
  // The nearest: a day just past is this year's, one a month ahead next year's.
  EXPECT_EQ(find_date("1 December", today).date, ymd(2026, 12, 1));
  EXPECT_EQ(find_date("15 January", today).date, ymd(2027, 1, 15));
  EXPECT_EQ(find_date("20 December", ymd(2027, 1, 3)).date, ymd(2026, 12, 20));
  // 29 February: the nearest year that has one, or none.
  EXPECT_EQ(find_date("29 February", ymd(2028, 1, 10)).date, ymd(2028, 2, 29));
  EXPECT_EQ(find_date("30 February", today).status, Status::invalid);
  // Without today to count from, it is only partial.
  EXPECT_EQ(find_date("3rd March").status, Status::partial);
}

TEST(FindDate, AYearSaidInWordsBesideTheDateIsThatYear) {
  const Date today = ymd(2026, 12, 5);
  // The nearest 3 March would be next year's; the student says this year's.
  for (const char* text : {"我体检是今年3月3号做的", "did it on march 3 this year", "the 3rd of march of this year"}) {
    DateFound found = find_date(text, today);
    EXPECT_EQ(found.status, Status::found) << text;
    EXPECT_EQ(found.date, ymd(2026, 3, 3)) << text;
    EXPECT_NE(found.text.find(std::string(text).find("今年") != std::string::npos ? "今年" : "this year"), std::string::npos)
        << found.text;
  }
  EXPECT_EQ(find_date("明年1月15号到期", today).date, ymd(2027, 1, 15));
  EXPECT_EQ(find_date("去年12月20号入境", today).date, ymd(2025, 12, 20));
  EXPECT_EQ(find_date("expires 1 december next year", today).date, ymd(2027, 12, 1));
  // "this yearly" is not a year said in words.
  EXPECT_EQ(find_date("3 march this yearly", today).date, ymd(2027, 3, 3));
  EXPECT_EQ(find_date("今年2月29号", today).status, Status::partial);  // 2026 has none
}

TEST(FindDayAlone, ADaySaidAloneIsThatDayOfTheGivenMonth) {
  const Date december = ymd(2026, 12, 8);
  for (const char* text : {"wait sorry, it was the 9th", "哦不对 是9号", "no, 9th", "应该是9日"}) {
    auto days = find_days_alone(text, december);
    ASSERT_EQ(days.size(), 1u) << text;
    const auto* d = &days[0];
    EXPECT_EQ(d->status, Status::found) << text;
    EXPECT_EQ(d->date, ymd(2026, 12, 9)) << text;
  }
  EXPECT_EQ(find_days_alone("sorry, the 31st", ymd(2026, 11, 3)).at(0).status, Status::invalid) << "November has 30 days";
  EXPECT_EQ(find_days_alone("it was the 9th not the 8th", december).size(), 2u);
  for (const char* text : {"3月9号", "9号楼", "去9号窗口", "the 2nd time", "the 3rd floor", "it was 9", "12/9"})
    EXPECT_TRUE(find_days_alone(text, december).empty()) << text;
}

TEST(FindDate, APartialDateIsReportedSoTheBotCanAskForTheRest) {
  for (const char* text : {"my permit expires in March 2027", "expires on the 30th", "2027年3月"})
    EXPECT_EQ(find_date(text).status, Status::partial) << text;
}

TEST(FindDate, FindsEveryDateWithWhereItIs) {
  auto all = find_dates("my permit expires on 2027-03-01 and I moved on 3 December", ymd(2026, 12, 5));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].date, ymd(2027, 3, 1));
  EXPECT_EQ(all[0].text, "2027-03-01");
  EXPECT_EQ(all[0].begin, 21u);
  EXPECT_EQ(all[1].date, ymd(2026, 12, 3));
  EXPECT_EQ(all[1].text, "3 December");
  // Offsets are in the text as given, full-width digits and all.
  auto wide = find_dates("于２０２７年３月１日到期");
  ASSERT_EQ(wide.size(), 1u);
  EXPECT_EQ(wide[0].text, "２０２７年３月１日");
}

TEST(FindRelativeDates, TodayYesterdayTomorrowInBothLanguages) {
  const Date today = ymd(2026, 12, 31);
  auto en = find_relative_dates("I moved yesterday, or was it the day before yesterday? not today", today);
  ASSERT_EQ(en.size(), 3u);
  EXPECT_EQ(en[0].date, ymd(2026, 12, 30));
  EXPECT_EQ(en[1].date, ymd(2026, 12, 29));
  EXPECT_EQ(en[1].text, "the day before yesterday");
  EXPECT_EQ(en[2].date, ymd(2026, 12, 31));
  auto zh = find_relative_dates("我明天搬家", today);
  ASSERT_EQ(zh.size(), 1u);
  EXPECT_EQ(zh[0].date, ymd(2027, 1, 1));
  EXPECT_TRUE(find_relative_dates("todays fee", today).empty()) << "whole words only";
  EXPECT_EQ(find_relative_dates("I handed it in this morning", today).at(0).date, today);
  EXPECT_EQ(find_relative_dates("我昨晚搬的家", today).at(0).date, ymd(2026, 12, 30));
}

TEST(FindRelativeDates, FixedHolidaysAreTheNearestSuchDay) {
  const Date today = ymd(2026, 12, 5);
  auto en = find_relative_dates("my permit runs out on new years day, i moved on christmas eve", today);
  ASSERT_EQ(en.size(), 2u);
  EXPECT_EQ(en[0].date, ymd(2027, 1, 1));
  EXPECT_FALSE(en[0].year_given);
  EXPECT_EQ(en[1].date, ymd(2026, 12, 24));
  EXPECT_EQ(en[1].text, "christmas eve") << "not christmas inside it";
  EXPECT_EQ(find_relative_dates("我元旦到期", today).at(0).date, ymd(2027, 1, 1));
  EXPECT_EQ(find_relative_dates("国庆节那天到的", today).at(0).date, ymd(2026, 10, 1));
  EXPECT_EQ(find_relative_dates("my permit expires on valentines day", today).at(0).date, ymd(2027, 2, 14));
  EXPECT_EQ(find_relative_dates("情人节到期", today).at(0).date, ymd(2027, 2, 14));
  const auto with_year = find_relative_dates("my permit expires on halloween 2027", today);
  ASSERT_EQ(with_year.size(), 1u);
  EXPECT_EQ(with_year[0].date, ymd(2027, 10, 31));
  EXPECT_TRUE(with_year[0].year_given);
  EXPECT_EQ(with_year[0].text, "halloween 2027");
  EXPECT_EQ(find_relative_dates("我的签证2028年情人节到期", today).at(0).date, ymd(2028, 2, 14));
  EXPECT_TRUE(find_relative_dates("我的签证七夕情人节到期", today).empty()) << "Qixi is in August";
  EXPECT_TRUE(find_relative_dates("白色情人节", today).empty()) << "White Day is in March";
  EXPECT_TRUE(find_relative_dates("我住在五一路", today).empty()) << "a street, not a day";
  EXPECT_TRUE(find_relative_dates("christmastime", today).empty()) << "whole words only";
  EXPECT_TRUE(find_relative_dates("我想元旦放假的时候再提交", today).empty()) << "the days off, not one day";
  EXPECT_TRUE(find_relative_dates("over the christmas holidays", today).empty());
  for (const char* qualified : {"I entered china last christmas", "我去年国庆节入境的", "my permit expires before christmas",
                                "我的居留许可国庆前到期", "my visa runs out on lunar new year day",
                                "flying home on chinese new years day", "labor day"})
    EXPECT_TRUE(find_relative_dates(qualified, today).empty()) << qualified;
}

TEST(FindRelativeDates, NextAndThisWeekdayAreDaysOfNextAndThisWeek) {
  const Date saturday = ymd(2026, 12, 5);
  auto next = find_relative_dates("i hand in my papers next friday", saturday);
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].date, ymd(2026, 12, 11));
  EXPECT_EQ(next[0].text, "next friday");
  EXPECT_EQ(find_relative_dates("next fri", saturday).at(0).date, ymd(2026, 12, 11));
  // At the weekend "this monday" is the coming one, marked so that a word
  // of the past in its clause can take the one gone instead.
  const auto this_monday = find_relative_dates("I moved this monday", saturday);
  ASSERT_EQ(this_monday.size(), 1u);
  EXPECT_EQ(this_monday[0].date, ymd(2026, 12, 7));
  EXPECT_TRUE(this_monday[0].this_at_weekend);
  EXPECT_TRUE(find_relative_dates("I moved this monday", ymd(2026, 12, 9)).empty()) << "on a Wednesday: which one?";
  EXPECT_EQ(find_relative_dates("my permit expires this friday", ymd(2026, 12, 9)).at(0).date, ymd(2026, 12, 11));
  EXPECT_TRUE(find_relative_dates("i moved this monday", ymd(2026, 12, 9)).empty()) << "on a Wednesday: which one?";
  // "On monday" is the next Monday, marked for the tense to settle.
  const auto on_monday = find_relative_dates("entered china on monday", saturday);
  ASSERT_EQ(on_monday.size(), 1u);
  EXPECT_EQ(on_monday[0].date, ymd(2026, 12, 7));
  EXPECT_TRUE(on_monday[0].weekday_alone);
  EXPECT_TRUE(find_relative_dates("this saturday", saturday).empty()) << "today, or a week on?";
  EXPECT_TRUE(find_relative_dates("我下下周五搬家", saturday).empty()) << "two weeks on, not next week";
  EXPECT_TRUE(find_relative_dates("我下周一定会搬家", saturday).empty()) << "surely next week, not Monday";
  EXPECT_EQ(find_relative_dates("我下周五转过来", saturday).at(0).date, ymd(2026, 12, 11));
  EXPECT_EQ(find_relative_dates("下周日", saturday).at(0).date, ymd(2026, 12, 13));
  EXPECT_EQ(find_relative_dates("下星期天", saturday).at(0).date, ymd(2026, 12, 13));
  EXPECT_EQ(find_relative_dates("这周一", saturday).at(0).date, ymd(2026, 11, 30));
  // Monday: next week's Friday, not this week's.
  EXPECT_EQ(find_relative_dates("next friday", ymd(2026, 12, 7)).at(0).date, ymd(2026, 12, 18));
  EXPECT_TRUE(find_relative_dates("the next step", saturday).empty());
  EXPECT_TRUE(find_relative_dates("next friendly office", saturday).empty());
  EXPECT_TRUE(find_relative_dates("annext monday", saturday).empty()) << "whole words only";
}

TEST(FindRelativeDates, LastWeekdayIsTheOneJustPastAndShangZhouTheWeekBefore) {
  const Date saturday = ymd(2026, 12, 5);
  auto last = find_relative_dates("got the progress note last monday", saturday);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].date, ymd(2026, 11, 30));
  EXPECT_EQ(last[0].text, "last monday");
  EXPECT_EQ(find_relative_dates("last fri", saturday).at(0).date, ymd(2026, 12, 4));
  EXPECT_EQ(find_relative_dates("last saturday", saturday).at(0).date, ymd(2026, 11, 28)) << "not today";
  EXPECT_EQ(find_relative_dates("上周一交的材料", saturday).at(0).date, ymd(2026, 11, 23));
  EXPECT_EQ(find_relative_dates("上星期五搬的家", saturday).at(0).date, ymd(2026, 11, 27));
  EXPECT_TRUE(find_relative_dates("上上周五", saturday).empty()) << "two weeks back";
  EXPECT_TRUE(find_relative_dates("the last step", saturday).empty());
}

TEST(FindRelativeDates, ADayAndMonthInNumbersWithoutTheYear) {
  const Date today = ymd(2026, 12, 5);
  auto both = find_relative_dates("my permit expires 03/04, when do I apply?", today);
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].status, DateFound::Status::ambiguous) << "March or April?";
  EXPECT_EQ(both[0].text, "03/04");
  auto day_first = find_relative_dates("expires 15/3", today);
  ASSERT_EQ(day_first.size(), 1u);
  EXPECT_EQ(day_first[0].date, ymd(2027, 3, 15)) << "the nearest 15 March";
  EXPECT_FALSE(day_first[0].year_given);
  EXPECT_EQ(find_relative_dates("expires 3/15", today).at(0).date, ymd(2027, 3, 15));
  EXPECT_EQ(find_relative_dates("expires 31/4", today).at(0).status, DateFound::Status::invalid);
  EXPECT_TRUE(find_relative_dates("expires 24/35", today).empty());
  EXPECT_TRUE(find_relative_dates("1/2/3 of them", today).empty());
  EXPECT_TRUE(find_relative_dates("room 101/5", today).empty()) << "three digits: no day";
}

TEST(FindDates, AnOrdinalBeforeANounIsNoDay) {
  EXPECT_TRUE(find_dates("do i need a physical exam if im extending for the 2nd time", ymd(2026, 12, 5)).empty());
  EXPECT_TRUE(find_dates("it is on the 3rd floor", ymd(2026, 12, 5)).empty());
  EXPECT_EQ(find_dates("my permit expires on the 30th", ymd(2026, 12, 5)).at(0).status, DateFound::Status::partial)
      << "a day without its month is still asked about";
}

TEST(FindRelativeDates, ADayOfTheWeekBesideNumbersDecidesWhichIsTheMonth) {
  const Date today = ymd(2026, 12, 7);
  // 4 December 2026 is a Friday; 12 April 2027 is a Monday.
  auto dash = find_relative_dates("did my medical check on friday 12-04", today);
  ASSERT_EQ(dash.size(), 1u);
  EXPECT_EQ(dash[0].status, DateFound::Status::found);
  EXPECT_EQ(dash[0].date, ymd(2026, 12, 4));
  EXPECT_EQ(find_relative_dates("exam 12/04 (fri)", today).at(0).date, ymd(2026, 12, 4));
  EXPECT_EQ(find_relative_dates("周五12-04体检", today).at(0).date, ymd(2026, 12, 4));
  EXPECT_EQ(find_relative_dates("exam on monday 12/04", today).at(0).date, ymd(2027, 4, 12));
  // A day of the week that fits neither order leaves the question.
  EXPECT_EQ(find_relative_dates("exam on sunday 12/04", today).at(0).status, DateFound::Status::ambiguous);
  // A dash alone is a range, not a date.
  EXPECT_TRUE(find_relative_dates("the exam record 12-04", today).empty());
  EXPECT_TRUE(find_relative_dates("a permit of 3-5 years expires", today).empty());
  EXPECT_TRUE(find_relative_dates("open 8:00-11:00 friday", today).empty());
}

TEST(FindRelativeDates, ADayOfThisOrNextMonth) {
  const Date today = ymd(2026, 12, 5);
  auto zh = find_relative_dates("我的签证下个月15号到期", today);
  ASSERT_EQ(zh.size(), 1u);
  EXPECT_EQ(zh[0].date, ymd(2027, 1, 15)) << "next month, across the year's end";
  EXPECT_EQ(zh[0].text, "下个月15号");
  EXPECT_EQ(find_relative_dates("本月20日搬家", today).at(0).date, ymd(2026, 12, 20));
  EXPECT_EQ(find_relative_dates("下月 3号", today).at(0).date, ymd(2027, 1, 3));
  EXPECT_TRUE(find_relative_dates("下下个月15号", today).empty()) << "two months on";
  EXPECT_TRUE(find_relative_dates("下个月中旬", today).empty()) << "no day";
  EXPECT_TRUE(find_relative_dates("下个月15号楼搬家", today).empty()) << "building 15";
  EXPECT_TRUE(find_relative_dates("这个月1号窗口领公函", today).empty()) << "window 1";
  EXPECT_TRUE(find_dates("I'll get the letter on the 20th of next month", today).empty())
      << "not a day without its month: relative_dates reads it";
  auto en = find_relative_dates("my permit expires the 15th of next month", today);
  ASSERT_EQ(en.size(), 1u);
  EXPECT_EQ(en[0].date, ymd(2027, 1, 15));
  EXPECT_EQ(en[0].text, "the 15th of next month");
  EXPECT_EQ(find_relative_dates("it expires next month on the 3rd", today).at(0).date, ymd(2027, 1, 3));
  EXPECT_EQ(find_relative_dates("moving 20th this month", today).at(0).date, ymd(2026, 12, 20));
  EXPECT_TRUE(find_relative_dates("next month I move", today).empty());
  EXPECT_EQ(find_relative_dates("the 31st of next month", ymd(2026, 10, 5)).at(0).status, DateFound::Status::invalid)
      << "November has 30 days";
}

TEST(ParseIso, ReadsOnlyTheStoredForm) {
  EXPECT_EQ(parse_iso("2027-03-01"), ymd(2027, 3, 1));
  for (const char* text : {"2027-3-1", "2027/03/01", "2027-02-30", "2027-03-01x", "", "1 March 2027", "20270301"})
    EXPECT_FALSE(parse_iso(text).has_value()) << text;
}

TEST(TimeOfDay, ReadsClockTimesInBothLanguages) {
  using std::chrono::minutes;
  EXPECT_EQ(find_time_of_day("I moved at 15:30"), minutes(15 * 60 + 30));
  EXPECT_EQ(find_time_of_day("at 3pm yesterday"), minutes(15 * 60));
  EXPECT_EQ(find_time_of_day("around 9 am"), minutes(9 * 60));
  EXPECT_EQ(find_time_of_day("12am"), minutes(0));
  EXPECT_EQ(find_time_of_day("下午3点搬的家"), minutes(15 * 60));
  EXPECT_EQ(find_time_of_day("上午9点"), minutes(9 * 60));
  EXPECT_FALSE(find_time_of_day("2027-03-01").has_value());
  EXPECT_FALSE(find_time_of_day("13pm").has_value());
  EXPECT_FALSE(find_time_of_day("counter 4").has_value());
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

TEST(Offset, CountsMonthsDaysAndHoursEitherWay) {
  using Unit = Offset::Unit;
  const Moment expiry{ymd(2027, 3, 31), std::nullopt};
  EXPECT_EQ(apply(Offset{1, Unit::months, true}, expiry).date, ymd(2027, 2, 28));
  EXPECT_EQ(apply(Offset{1, Unit::months, true}, Moment{ymd(2028, 3, 30), std::nullopt}).date, ymd(2028, 2, 29));
  EXPECT_EQ(apply(Offset{30, Unit::days, true}, Moment{ymd(2027, 3, 1), std::nullopt}).date, ymd(2027, 1, 30));
  EXPECT_EQ(apply(Offset{30, Unit::days, false}, Moment{ymd(2027, 1, 15), std::nullopt}).date, ymd(2027, 2, 14));
  EXPECT_EQ(apply(Offset{10, Unit::days, false}, Moment{ymd(2026, 12, 25), std::nullopt}).date, ymd(2027, 1, 4));
  EXPECT_EQ(apply(Offset{6, Unit::months, false}, Moment{ymd(2027, 8, 31), std::nullopt}).date, ymd(2028, 2, 29));
  // Hours: the time of day moves when it is known...
  const Moment moved{ymd(2027, 12, 31), std::chrono::hours(15) + std::chrono::minutes(30)};
  const Moment by = apply(Offset{24, Unit::hours, false}, moved);
  EXPECT_EQ(by.date, ymd(2028, 1, 1));
  EXPECT_EQ(by.time, std::chrono::minutes(15 * 60 + 30));
  EXPECT_EQ(iso(by), "2028-01-01 15:30");
  const Moment late = apply(Offset{10, Unit::hours, false}, moved);
  EXPECT_EQ(iso(late), "2028-01-01 01:30");
  // ...and whole days of 24 hours are counted without it.
  const Moment day_only = apply(Offset{24, Unit::hours, false}, Moment{ymd(2027, 3, 3), std::nullopt});
  EXPECT_EQ(day_only.date, ymd(2027, 3, 4));
  EXPECT_FALSE(day_only.time.has_value());
  EXPECT_EQ(iso(day_only), "2027-03-04");
}

TEST(Offset, CountsWorkdaysMondayToFriday) {
  using Unit = Offset::Unit;
  // Monday 7 December 2026 + 15 workdays: three whole weeks later.
  EXPECT_EQ(apply(Offset{15, Unit::workdays, false}, Moment{ymd(2026, 12, 7), std::nullopt}).date, ymd(2026, 12, 28));
  // Friday + 3 workdays skips the weekend: Wednesday.
  EXPECT_EQ(apply(Offset{3, Unit::workdays, false}, Moment{ymd(2026, 12, 4), std::nullopt}).date, ymd(2026, 12, 9));
  // From a Saturday, the first workday is Monday.
  EXPECT_EQ(apply(Offset{1, Unit::workdays, false}, Moment{ymd(2026, 12, 5), std::nullopt}).date, ymd(2026, 12, 7));
  // Backwards too: 3 workdays before a Tuesday is the Thursday before.
  EXPECT_EQ(apply(Offset{3, Unit::workdays, true}, Moment{ymd(2026, 12, 8), std::nullopt}).date, ymd(2026, 12, 3));
}

TEST(DateFormat, IsoHasLeadingZeros) {
  EXPECT_EQ(iso(ymd(2027, 3, 1)), "2027-03-01");
  EXPECT_EQ(iso(ymd(2027, 12, 31)), "2027-12-31");
}


TEST(FindTimeOfDay, SaysWhereTheTimeIs) {
  std::pair<std::size_t, std::size_t> at;
  const std::string zh = "下午3点去出入境";
  ASSERT_EQ(find_time_of_day(zh, &at), std::chrono::minutes{15 * 60});
  EXPECT_EQ(zh.substr(at.first, at.second - at.first), "下午3点");
  const std::string en = "if I get there at 11:30 am can I";
  ASSERT_EQ(find_time_of_day(en, &at), std::chrono::minutes{11 * 60 + 30});
  EXPECT_EQ(en.substr(at.first, at.second - at.first), "11:30 am");
  const std::string plain = "at 15:30 ok";
  ASSERT_TRUE(find_time_of_day(plain, &at));
  EXPECT_EQ(plain.substr(at.first, at.second - at.first), "15:30");
}
}  // namespace
}  // namespace permit::dialogs
