// The dialog engine with the shipped scripts: pure, no Redis.

#include "dialogs/engine.hpp"
#include "tests/support/shipped_engine.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/student_state.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace permit::dialogs {
namespace {

using Kind = Inbound::Kind;

const Engine& engine() { return permit::testing::shipped_engine(); }

// A student talking to the engine, keeping the state between messages.
class Student {
 public:
  explicit Student(std::string today = "2026-11-21") {
    auto d = find_date(today);
    now_ = std::chrono::sys_days(d.date) + std::chrono::hours(10);
  }
  std::string says(const std::string& text) { return send(Kind::text, text); }
  std::string send(Kind kind, const std::string& text = {}) {
    last_ = engine().respond(state_, Inbound{kind, text}, now_);
    state_ = last_.state;
    std::string joined;
    for (const auto& r : last_.replies) joined += r;
    return joined;
  }
  StudentState state() const { return StudentState::parse(state_); }
  void wait(std::chrono::minutes m) { now_ += m; }
  const Outcome& last() const { return last_; }
  std::string raw_state() const { return state_; }

 private:
  std::string state_;
  Outcome last_;
  std::chrono::system_clock::time_point now_;
};

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Engine, AVoiceMessageIsReadAsItsRecognitionAndTheReplySaysWhatWasHeard) {
  Student s;
  s.says("CQUPT");
  auto reply = s.send(Kind::voice, "how much is the residence permit fee");
  EXPECT_TRUE(contains(reply, "heard as: \"how much is the residence permit fee\"")) << reply;
  EXPECT_TRUE(contains(reply, "400 RMB")) << reply;
  EXPECT_EQ(s.state().messages, 2);
  auto zh = s.send(Kind::voice, "延期要提前多久申请");
  EXPECT_TRUE(contains(zh, "识别为：“延期要提前多久申请”")) << zh;
  EXPECT_TRUE(contains(zh, "30")) << zh;
  // Without the platform's recognition, the text-only answer.
  auto unheard = s.send(Kind::voice, "");
  EXPECT_TRUE(contains(unheard, "could not make out the words") || contains(unheard, "无法识别")) << unheard;
  EXPECT_FALSE(contains(unheard, "400"));
}

TEST(Engine, AThingOnlyAnotherPageNamesIsUnmentionedHere) {
  const Engine& e = engine();
  // NENU's page has a physical examination; CPU's and HUST's do not.
  EXPECT_EQ(e.unmentioned("cpu", e.analyse("学期注册需要上传体检证明吗")), "体检");
  EXPECT_EQ(e.unmentioned("hust", e.analyse("do I need a physical exam?")), "physical exam");
  EXPECT_EQ(e.unmentioned("nenu", e.analyse("do I need a physical exam?")), "");
  // What this page names is not unmentioned, whoever else names it too.
  EXPECT_EQ(e.unmentioned("cqupt", e.analyse("where is the police station")), "");
  EXPECT_EQ(e.unmentioned("cpu", e.analyse("how do I upload my insurance")), "");
  EXPECT_EQ(e.unmentioned("nowhere", e.analyse("体检")), "");
}

TEST(Engine, RealWordsTheScriptsListAreNotSpeltIntoTheirWords) {
  // One letter from a word of the scripts, but words of their own: a
  // degree, a city, a verb.
  EXPECT_EQ(engine().analyse("im starting my masters in nanjing, giving it to him").text,
            "i am starting my masters in nanjing, giving it to him");
  EXPECT_EQ(engine().analyse("my pasport").text, "my passport");
}

TEST(Engine, WhatWasTalkedAboutLastsHalfAnHour) {
  for (int minutes : {10, 31}) {
    Student s;
    s.says("NENU");
    s.says("where is the immigration office");
    s.wait(std::chrono::minutes(minutes));
    auto reply = s.says("what are its opening hours");
    const bool about_the_office = contains(reply, "does not give the opening hours of the Immigration Office");
    EXPECT_EQ(about_the_office, minutes < 30) << minutes << " minutes: " << reply;
    EXPECT_FALSE(contains(reply, "8:00")) << reply;  // never the hospital's hours
  }
}

TEST(Engine, NewStudentIsAskedForTheUniversityWithANumberedList) {
  Student s;
  auto reply = s.says("hi");
  EXPECT_TRUE(contains(reply, "Which university")) << reply;
  for (const char* name : {"1. ", "5. ", "Jiangsu Normal University", "CQUPT"}) EXPECT_TRUE(contains(reply, name)) << name;
  EXPECT_EQ(s.state().choices.size(), 5u);
  EXPECT_TRUE(s.state().university.empty());
}

TEST(Engine, AStateThatCannotBeReadIsKeptAsItIsNotTakenForANewStudent) {
  const std::string oversized = R"({"u":"cqupt","question":")" + std::string(StudentState::kMaxBytes, 'x') + R"("})";
  for (const std::string& garbage : {std::string("not json{"), std::string("[1,2]"), std::string("\"x\""), oversized}) {
    auto out = engine().respond(garbage, Inbound{Kind::text, "hello"}, std::chrono::system_clock::now());
    EXPECT_EQ(out.kept, "unreadable") << garbage.substr(0, 40);
    EXPECT_EQ(out.state, garbage) << "the stored state must come back as it was";
    ASSERT_EQ(out.replies.size(), 1u);
    EXPECT_TRUE(contains(out.replies[0], "What you told me before is safe")) << out.replies[0];
    EXPECT_TRUE(out.effects.empty());
  }
  auto zh = engine().respond("not json{", Inbound{Kind::text, "你好"}, std::chrono::system_clock::now());
  ASSERT_EQ(zh.replies.size(), 1u);
  EXPECT_TRUE(contains(zh.replies[0], "你之前告诉我的信息都还在")) << zh.replies[0];
}

TEST(Engine, TheParsedStateItHandsBackIsTheStateItWrites) {
  // The bot keeps Outcome::parsed for the student's next message instead of
  // reading Outcome::state again: they must be the same state.
  Student s("2026-12-05");
  for (const char* m : {"hello", "CQUPT", "my permit expires 2027-01-20", "where do i apply", "start",
                               "what about the fee there?"}) {
    s.says(m);
    ASSERT_NE(s.last().parsed, nullptr) << m;
    EXPECT_EQ(s.last().parsed->serialise(), s.raw_state()) << m;
    EXPECT_EQ(StudentState::parse(s.raw_state()).serialise(), s.raw_state()) << m;
  }
  auto kept = engine().respond("not json{", Inbound{Kind::text, "hello"}, std::chrono::system_clock::now());
  EXPECT_EQ(kept.parsed, nullptr) << "a state kept as it was is read again next time";
}

TEST(Engine, AReadableStateWithFieldsOfTheWrongTypeOrAGoneUniversityIsRead) {
  for (std::string odd : {"{\"u\":7}", "{\"u\":\"nowhere\"}", ""}) {
    auto out = engine().respond(odd, Inbound{Kind::text, "hello"}, std::chrono::system_clock::now());
    EXPECT_TRUE(out.kept.empty()) << odd;
    ASSERT_EQ(out.replies.size(), 1u) << odd;
    EXPECT_TRUE(contains(out.replies[0], "Which university")) << odd;
    EXPECT_EQ(StudentState::parse(out.state).messages, 1) << odd;
  }
}

TEST(Engine, ANewStateLargerThanTheReaderAcceptsIsNotWrittenTheStoredOneIsKept) {
  // Readable, a few bytes under the limit; the turn adds to it.
  std::string state = R"({"u":"cqupt","lang":"en","answers":{"note":")";
  const std::string tail = R"("},"messages":1})";
  state += std::string(StudentState::kMaxBytes - state.size() - tail.size() - 4, 'a') + tail;
  ASSERT_TRUE(StudentState::read(state).has_value());
  auto out = engine().respond(state, Inbound{Kind::text, "how much is the fee"}, std::chrono::system_clock::now());
  EXPECT_EQ(out.kept, "too_large");
  EXPECT_EQ(out.state, state);
}

TEST(Engine, AHugeQuestionBeforeTheUniversityLeavesAStateTheNextMessageReads) {
  // 60 KB of double quotes, each escaped to two bytes in the state.
  Student s;
  s.says(std::string(60 * 1024, '"') + " fee?");
  EXPECT_TRUE(s.last().kept.empty());
  EXPECT_LT(s.raw_state().size(), 2048u);
  ASSERT_TRUE(StudentState::read(s.raw_state()).has_value());
  s.says("CQUPT");
  EXPECT_TRUE(s.last().kept.empty());
  EXPECT_EQ(s.state().university, "cqupt");
  EXPECT_EQ(s.state().messages, 2);
}

TEST(Engine, EventsWelcomeRecordAndApologise) {
  Student s;
  EXPECT_TRUE(contains(s.send(Kind::subscribe), "Welcome to permit-bot"));
  EXPECT_EQ(s.send(Kind::unsubscribe), "");
  EXPECT_FALSE(s.state().subscribed);
  EXPECT_TRUE(contains(s.send(Kind::unsupported), "only read text"));
  EXPECT_EQ(s.send(Kind::ignored), "");
  EXPECT_EQ(s.state().messages, 0) << "only text messages are counted";
}

TEST(Engine, UniversityByNumberChineseNameOrCityAndLanguageFollowsTheMessage) {
  Student by_number;
  by_number.says("hello");
  EXPECT_TRUE(contains(by_number.says("2"), "University: CQUPT"));
  Student by_name;
  EXPECT_TRUE(contains(by_name.says("江苏师范大学"), "学校：江苏师大"));
  EXPECT_EQ(by_name.state().university, "jsnu");
  EXPECT_EQ(by_name.state().last, Lang::zh);
  Student by_city;
  by_city.says("I study in Wuhan");
  EXPECT_EQ(by_city.state().university, "hust");
  EXPECT_EQ(by_city.state().last, Lang::en);
}

TEST(Engine, ACityInAQuestionDoesNotSwitchTheUniversity) {
  Student s;
  s.says("JSNU");
  s.says("Can I travel to Wuhan during the holidays?");
  EXPECT_EQ(s.state().university, "jsnu");
  s.says("Wuhan");  // the city alone is a choice
  EXPECT_EQ(s.state().university, "hust");
  s.says("my friend at CQUPT said the fee is 400, is that right?");  // mentioned, not chosen
  EXPECT_EQ(s.state().university, "hust");
  s.says("CQUPT");  // the name on its own switches
  EXPECT_EQ(s.state().university, "cqupt");
}

TEST(Engine, CraftedStateCannotCrashOrOverflow) {
  const auto now = std::chrono::system_clock::now();
  for (std::string state : {R"({"u":"cqupt","choices":["opt:99999999999999999999"]})",
                            R"({"u":"cqupt","choices":["opt:x","faq:nowhere","u:nowhere"]})",
                            R"({"u":"cqupt","node":"nowhere","path":["a","b"],"ticked":{"step2":[-5,999]}})",
                            R"({"u":"cqupt","messages":9223372036854775807})"}) {
    for (const char* text : {"1", "2", "3", "next", "back", "progress", "done 1"}) {
      auto out = engine().respond(state, Inbound{Kind::text, text}, now);
      EXPECT_FALSE(out.replies.empty()) << state << " / " << text;
    }
  }
  // Days of overstay kept in the state are outside input too: beyond any
  // stay, or not a number, no sum is worked out from them.
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count();
  for (const char* days : {"99999999999999999999", "-5", "x", "3651"}) {
    const std::string state = std::string(R"({"u":"jsnu","ctx":{"od":")") + days + R"(","at":)" +
                              std::to_string(minutes) + "}}";
    auto fine = engine().respond(state, Inbound{Kind::text, "how much is the fine for overstaying?"}, now);
    ASSERT_FALSE(fine.replies.empty()) << days;
    EXPECT_FALSE(contains(fine.replies.front(), "Days counted")) << days << ": " << fine.replies.front();
    EXPECT_TRUE(contains(fine.replies.front(), "500 yuan")) << days;
  }
  auto saturated = engine().respond(R"({"messages":9223372036854775807})", Inbound{Kind::text, "hi"}, now);
  EXPECT_EQ(StudentState::parse(saturated.state).messages, std::numeric_limits<std::int64_t>::max());
  // Nesting within json::kMaxDepth is read (the unknown field ignored);
  // deeper nesting, even within the size limit, is refused without
  // recursion, and the stored state kept.
  std::string nested = R"({"u":"cqupt","x":)" + std::string(10, '[') + std::string(10, ']') + "}";
  auto out = engine().respond(nested, Inbound{Kind::text, "hello"}, now);
  EXPECT_EQ(out.kept, "");
  for (std::size_t depth : {std::size_t{30000}, std::size_t{200000}}) {
    const std::string deep = R"({"u":"cqupt","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
    out = engine().respond(deep, Inbound{Kind::text, "hello"}, now);
    EXPECT_EQ(out.kept, "unreadable") << depth;
    EXPECT_EQ(out.state, deep);
  }
}

TEST(Engine, GreetingsAndCommandsBeforeAUniversityAreNotRecordedAsQuestions) {
  Student s;
  s.says("hello");
  auto picked = s.says("2");
  EXPECT_FALSE(contains(picked, "could not find")) << picked;
  EXPECT_TRUE(s.last().effects.empty());
  Student t;
  t.says("start");
  auto started = t.says("CQUPT");
  EXPECT_TRUE(contains(started, "Step 1")) << "a deferred command runs once the university is known: " << started;
  EXPECT_TRUE(contains(Student().says("?"), "What I understand"));
}

TEST(Engine, NumbersOutsideTheOfferedTopicsStillAnswerTheWalkthroughQuestion) {
  Student s;
  s.says("NENU");
  s.says("start");  // a question with 3 options
  s.says("Can my dog come with me?");  // offers topics + staff
  auto reply = s.says("1");
  EXPECT_FALSE(contains(reply, "reply with a number")) << reply;
}

TEST(Engine, PassportNumbersAreMaskedInEveryForm) {
  for (const char* text : {"passport G 1234 5678 stolen, can my cat come", "E1234-5678 can my cat come",
                           "Ｅ１２３４５６７８ can my cat come"}) {
    Student s;
    s.says("CQUPT");
    s.says(text);
    ASSERT_EQ(s.last().effects.size(), 1u) << text;
    for (const char* digits : {"1234", "5678", "１２３４"})
      EXPECT_FALSE(contains(s.last().effects[0].text, digits)) << text << " -> " << s.last().effects[0].text;
  }
}

TEST(Engine, AStatementNotPlacedIsKeptMaskedForTheNextMessageOnly) {
  Student s;
  s.says("JSNU");
  s.says("i havent paid this years tuition and insurance yet, passport E12345678");
  EXPECT_FALSE(contains(s.raw_state(), "12345678")) << s.raw_state();
  EXPECT_TRUE(contains(s.state().context.statement, "tuition")) << s.raw_state();
  // Read with the next message, then gone: a question is not kept.
  s.says("what about the dorm fee?");
  EXPECT_TRUE(s.state().context.statement.empty()) << s.raw_state();
  EXPECT_FALSE(contains(s.raw_state(), "tuition")) << s.raw_state();
}

TEST(Engine, PinnedLanguageWinsOverTheMessage) {
  Student s;
  s.says("CQUPT");
  EXPECT_TRUE(contains(s.says("english"), "English"));
  auto reply = s.says("居留许可多少钱？");
  EXPECT_TRUE(contains(reply, "400 RMB")) << reply;
  EXPECT_TRUE(contains(reply, "Source: CQUPT Residence Permit Extension page, Step 5")) << reply;
  s.says("中文");
  EXPECT_TRUE(contains(s.says("how much is the fee"), "400元"));
}

TEST(Engine, AQuestionBeforeTheUniversityIsAnsweredOnceItIsPicked) {
  Student s;
  EXPECT_TRUE(contains(s.says("How much does the permit cost?"), "Which university"));
  auto reply = s.says("2");
  EXPECT_TRUE(contains(reply, "University: CQUPT")) << reply;
  EXPECT_TRUE(contains(reply, "400 RMB")) << reply;
}

TEST(Engine, DeadlineFollowsTheUniversityRuleAcrossMonthEndsAndLeapYears) {
  Student s;
  s.says("JSNU");
  auto reply = s.says("my residence permit expires on 31 March 2028");
  EXPECT_TRUE(contains(reply, "2028-02-29")) << reply;
  EXPECT_TRUE(contains(reply, "Article 9")) << reply;
  ASSERT_EQ(s.last().effects.size(), 1u);
  EXPECT_EQ(s.last().effects[0].kind, Effect::Kind::set_deadline);
  EXPECT_EQ(s.last().effects[0].date, "2028-03-31");
  EXPECT_EQ(s.last().effects[0].deadline, "2028-02-29");
  EXPECT_EQ(s.state().expiry(), "2028-03-31");
}

TEST(Engine, RemindersAreScheduledBeforeTheDeadlineInTheStudentsLanguageAndCanBeStopped) {
  Student s("2026-11-21");
  s.says("重庆邮电大学");
  s.says("2027年3月1日");  // deadline 2027-01-30
  ASSERT_EQ(s.last().effects.size(), 1u);
  const auto& r = s.last().effects[0].reminders;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].on, "2026-12-31");  // 30 days before
  EXPECT_EQ(r[1].on, "2027-01-16");
  EXPECT_EQ(r[2].on, "2027-01-23");
  EXPECT_EQ(r[3].on, "2027-01-29");  // the day before
  EXPECT_TRUE(contains(r[3].text, "1天")) << r[3].text;
  EXPECT_TRUE(contains(r[3].text, "2027-01-30")) << r[3].text;
  // Close to the deadline only the reminders still ahead are kept.
  Student late("2027-01-20");
  late.says("CQUPT");
  late.says("2027-03-01");
  ASSERT_EQ(late.last().effects.size(), 1u);
  ASSERT_EQ(late.last().effects[0].reminders.size(), 2u);
  EXPECT_EQ(late.last().effects[0].reminders[0].on, "2027-01-23");
  EXPECT_TRUE(contains(late.says("stop reminders"), "Reminders stopped"));
  ASSERT_EQ(late.last().effects.size(), 1u);
  EXPECT_EQ(late.last().effects[0].kind, Effect::Kind::stop_reminders);
}

TEST(Engine, ADateBeforeTheUniversityIsKeptAndTheDeadlineFollowsThePick) {
  Student s;
  auto first = s.says("my permit expires 2027/3/1");
  EXPECT_TRUE(contains(first, "2027-03-01")) << first;
  EXPECT_TRUE(contains(first, "Which university")) << first;
  auto second = s.says("Chongqing University of Posts and Telecommunications");
  EXPECT_TRUE(contains(second, "2027-01-30")) << second;
}

TEST(Engine, PastAmbiguousAndImpossibleDatesGetAQuestionAndChangeNothing) {
  Student s;
  s.says("CQUPT");
  EXPECT_TRUE(contains(s.says("2026-01-05"), "in the past"));
  EXPECT_TRUE(contains(s.says("03/04/2027"), "day/month or month/day"));
  EXPECT_TRUE(contains(s.says("2027-02-30"), "not a real date"));
  EXPECT_TRUE(s.last().effects.empty());
  EXPECT_TRUE(s.state().expiry().empty());
}

TEST(Engine, UniversityWithoutADeadlineRuleSaysSoAndStillRecordsTheDate) {
  Student s;
  s.says("NENU");
  auto reply = s.says("my residence permit expires 2027-06-30");
  EXPECT_TRUE(contains(reply, "does not set an application deadline")) << reply;
  EXPECT_TRUE(contains(reply, "International Students Office")) << reply;
  ASSERT_EQ(s.last().effects.size(), 1u);
  EXPECT_EQ(s.last().effects[0].deadline, "");
}

TEST(Engine, WalkthroughNextBackProgressAndTicksSurviveBetweenMessages) {
  Student s;
  s.says("CQUPT");
  EXPECT_TRUE(contains(s.says("back"), "Step 1"));  // "back" before starting starts
  EXPECT_TRUE(contains(s.says("back"), "This is the first step"));
  auto step2 = s.says("next");
  EXPECT_TRUE(contains(step2, "Step 2: Photo and photo receipt")) << step2;
  EXPECT_TRUE(contains(s.says("done 2"), "Ticked 2."));
  EXPECT_TRUE(contains(s.says("done 7"), "items 1 to 2"));
  auto progress = s.says("progress");
  EXPECT_TRUE(contains(progress, "step 2 of 5")) << progress;
  EXPECT_TRUE(contains(progress, "(1/2)")) << progress;
  EXPECT_TRUE(contains(s.says("next"), "Step 3"));
  auto back = s.says("back");
  EXPECT_TRUE(contains(back, "☑ 2.")) << back;
  EXPECT_TRUE(contains(s.says("done 2"), "Unticked"));
  for (int i = 0; i < 4; ++i) s.says("next");
  EXPECT_TRUE(contains(s.says("next"), "last step"));
  EXPECT_TRUE(contains(s.says("restart"), "Step 1"));
  EXPECT_TRUE(s.state().path.empty());
}

TEST(Engine, WalkthroughQuestionsChangeTheSteps) {
  Student on_campus, off_campus;
  for (Student* s : {&on_campus, &off_campus}) {
    s->says("NENU");
    s->says("start");
    s->says("1");  // first application
  }
  auto on = on_campus.says("1");
  auto off = off_campus.says("2");
  EXPECT_NE(on, off);
  EXPECT_TRUE(contains(off, "Tenancy agreement")) << off;
  EXPECT_FALSE(contains(on, "Tenancy agreement")) << on;
}

TEST(Engine, DeleteMyDataNeedsConfirmationThenErasesEverythingPersonal) {
  Student s;
  s.says("JSNU");
  s.says("2027-05-01");
  s.says("start");
  EXPECT_TRUE(contains(s.says("delete my data"), "yes"));
  EXPECT_TRUE(contains(s.says("no"), "Nothing was deleted"));
  EXPECT_EQ(s.state().university, "jsnu");
  s.says("删除我的数据");
  auto done = s.says("是");
  EXPECT_TRUE(contains(done, "已删除")) << done;
  ASSERT_EQ(s.last().effects.size(), 1u);
  EXPECT_EQ(s.last().effects[0].kind, Effect::Kind::forget_student);
  auto st = s.state();
  EXPECT_TRUE(st.university.empty());
  EXPECT_TRUE(st.expiry().empty());
  EXPECT_TRUE(st.node.empty());
  EXPECT_TRUE(contains(s.says("hello"), "Which university"));
}

TEST(Engine, UnansweredQuestionOffersTopicsAndRecordsItWithNumbersMasked) {
  Student s;
  s.says("CQUPT");
  auto reply = s.says("can my dog come to the police station? my passport is E12345678");
  EXPECT_TRUE(contains(reply, "could not find")) << reply;
  EXPECT_TRUE(contains(reply, "Ask staff")) << reply;
  ASSERT_EQ(s.last().effects.size(), 1u);
  const auto& e = s.last().effects[0];
  EXPECT_EQ(e.kind, Effect::Kind::record_unanswered);
  EXPECT_EQ(e.university, "cqupt");
  EXPECT_EQ(e.lang, "en");
  EXPECT_FALSE(contains(e.text, "12345678")) << e.text;
  EXPECT_TRUE(contains(e.text, "[number]")) << e.text;
  EXPECT_FALSE(contains(s.raw_state(), "12345678"));
  // "1" now picks the first offered topic, which is then answered.
  const auto offered = s.state().choices;
  ASSERT_EQ(offered.size(), 4u);
  EXPECT_EQ(offered.back(), "staff");
  auto topic = s.says("1");
  EXPECT_FALSE(contains(topic, "could not find")) << topic;
  EXPECT_FALSE(contains(topic, "reply with a number")) << topic;
  EXPECT_TRUE(s.last().effects.empty());
}

TEST(Engine, SameInputSameOutput) {
  const std::string state = R"({"u":"hust","lang":"en","messages":3})";
  const auto now = std::chrono::system_clock::now();
  auto a = engine().respond(state, Inbound{Kind::text, "Where do I apply?"}, now);
  auto b = engine().respond(state, Inbound{Kind::text, "Where do I apply?"}, now);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.replies, b.replies);
}

TEST(StudentStateTest, RoundTripsEveryField) {
  StudentState s;
  s.university = "jsnu";
  s.pinned = Lang::zh;
  s.last = Lang::zh;
  s.node = "medical";
  s.path = {"q_status", "register"};
  s.answers = {{"campus", "off"}, {"status", "x1"}};
  s.ticked = {{"documents", {0, 3}}};
  s.dates = {{"expiry", "2027-03-01"}, {"move", "2027-01-02"}};
  s.context = {.thing = "immigration",
               .thing_before = "hospital",
               .faq = "nenu_fee",
               .attribute = "fee",
               .asked = "payment",
               .before = "hust:faq:hust_fee",
               .awaiting = "expiry",
               .pending_date = "",
               .length = "e:0:24",
               .here = "hospital",
               .others = "letter 2026-11-28",
               .others_at = "nenu",
               .overstay = "4",
               .unresolved = true,
               .statement = "i havent paid the tuition",
               .at = 29000000};
  s.confirming_delete = true;
  s.choices = {"u:cqupt", "staff"};
  s.deferred_question = "fee?";
  s.subscribed = false;
  s.messages = 12;
  auto back = StudentState::parse(s.serialise());
  EXPECT_EQ(back.serialise(), s.serialise());
  EXPECT_EQ(back.answers, s.answers);
  EXPECT_EQ(back.ticked, s.ticked);
  EXPECT_EQ(back.pinned, s.pinned);
  EXPECT_TRUE(back.confirming_delete);
  EXPECT_EQ(back.dates, s.dates);
  EXPECT_EQ(back.context.thing, "immigration");
  EXPECT_EQ(back.context.thing_before, "hospital");
  EXPECT_EQ(back.context.awaiting, "expiry");
  EXPECT_EQ(back.context.others, "letter 2026-11-28");
  EXPECT_EQ(back.context.attribute, "fee");
  EXPECT_EQ(back.context.asked, "payment");
  EXPECT_EQ(back.context.before, "hust:faq:hust_fee");
  EXPECT_EQ(back.context.length, "e:0:24");
  EXPECT_EQ(back.context.overstay, "4");
  EXPECT_EQ(back.context.at, 29000000);
  EXPECT_TRUE(back.context.unresolved);
  EXPECT_EQ(back.context.statement, "i havent paid the tuition");
}

TEST(StudentStateJson, AStateWrittenBeforeDatesHadKindsReadsItsDateAsTheExpiry) {
  auto st = StudentState::parse(R"({"u":"cqupt","lang":"en","expiry":"2027-03-01","messages":3})");
  EXPECT_EQ(st.expiry(), "2027-03-01");
  EXPECT_EQ(st.dates.size(), 1u);
}

}  // namespace
}  // namespace permit::dialogs
