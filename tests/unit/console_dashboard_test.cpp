// The dashboard's counting, without Redis: where a stored state says the
// student is, and the commands a second's worth of messages becomes.

#include "bot/dashboard/tally.hpp"
#include "dialogs/state_peek.hpp"
#include "dialogs/student_state.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace permit {
namespace {

TEST(StatePeekTest, ReadsTheUniversityAndNodeThatSerialiseWrites) {
  dialogs::StudentState st;
  EXPECT_EQ(dialogs::peek_position(st.serialise()).university, "");
  st.university = "jsnu";
  st.pinned = dialogs::Lang::zh;
  st.node = "medical-check";
  st.path = {"node", "start"};
  st.answers = {{"node", "x"}};
  st.ticked = {{"node", {1}}};
  const std::string s = st.serialise();
  auto p = dialogs::peek_position(s);
  EXPECT_EQ(p.university, "jsnu") << s;
  EXPECT_EQ(p.node, "medical-check") << s;
  st.node.clear();  // not started: "node" appears only nested, which does not count
  const std::string not_started = st.serialise();  // the views point into it
  p = dialogs::peek_position(not_started);
  EXPECT_EQ(p.university, "jsnu");
  EXPECT_EQ(p.node, "") << not_started;
  st.university.clear();
  st.node = "n1";
  const std::string no_university = st.serialise();
  EXPECT_EQ(dialogs::peek_position(no_university).node, "n1") << no_university;
  for (const char* odd : {"", "[]", "{\"u\":\"a\\\"b\"}", "{\"u\":\"unterminated", "not json"})
    EXPECT_EQ(dialogs::peek_position(odd).university, "") << odd;
}

std::string state(const std::string& university, const std::string& node) {
  dialogs::StudentState st;
  st.university = university;
  st.node = node;
  return st.serialise();
}

bool has(const std::vector<std::vector<std::string>>& commands, const std::vector<std::string>& wanted) {
  return std::find(commands.begin(), commands.end(), wanted) != commands.end();
}

TEST(TallyTest, MessagesBecomeOneBatchOfIncrementsByChinaDayAndHour) {
  dashboard::Tally tally;
  const std::int64_t at = 1764892800;  // 2025-12-05T00:00:00Z: 08:00 in China
  const std::vector<dialogs::Effect> none;
  const std::string alice = "alice", bob = "bob";
  const std::string empty, start = state("jsnu", ""), step1 = state("jsnu", "photo"), step2 = state("jsnu", "medical");
  tally.record(core::CommittedTurn{alice, empty, start, none, at});
  tally.record(core::CommittedTurn{alice, start, step1, none, at + 60});
  tally.record(core::CommittedTurn{alice, step1, step2, none, at + 120});
  std::vector<dialogs::Effect> unanswered{dialogs::Effect{dialogs::Effect::Kind::record_unanswered, "cqupt", "en", "?", "", "", {}}};
  tally.record(core::CommittedTurn{bob, empty, state("cqupt", ""), unanswered, at + 3600});

  auto commands = tally.take_commands();
  EXPECT_TRUE(has(commands, {"HINCRBY", "{dash}:day:2025-12-05", "messages", "4"}));
  EXPECT_TRUE(has(commands, {"HINCRBY", "{dash}:day:2025-12-05", "h08", "3"}));
  EXPECT_TRUE(has(commands, {"HINCRBY", "{dash}:day:2025-12-05", "h09", "1"}));
  EXPECT_TRUE(has(commands, {"HINCRBY", "{dash}:day:2025-12-05", "unanswered", "1"}));
  EXPECT_TRUE(has(commands, {"PFADD", "{dash}:active:jsnu:2025-12-05", "alice"}));
  EXPECT_TRUE(has(commands, {"PFADD", "{dash}:active:cqupt:2025-12-05", "bob"}));
  // photo was entered and left within the second: no command for it.
  EXPECT_TRUE(has(commands, {"HINCRBY", "{dash}:funnel:jsnu", "medical", "1"}));
  EXPECT_FALSE(std::any_of(commands.begin(), commands.end(), [](const auto& c) { return c.size() > 2 && c[2] == "photo"; }));
  EXPECT_TRUE(tally.take_commands().empty()) << "taken once";
}

TEST(TallyTest, ADeadlineIsSetWhenGivenAndDroppedWhenTheStudentLeavesOrIsForgotten) {
  dashboard::Tally tally;
  const std::int64_t at = 1764892800;
  const std::string carol = "carol";
  const std::string jsnu = state("jsnu", ""), hust = state("hust", ""), nowhere = state("", "");
  dialogs::Effect set{dialogs::Effect::Kind::set_deadline, "jsnu", "en", "", "2026-03-01", "2026-02-01", {}};
  tally.record(core::CommittedTurn{carol, jsnu, jsnu, {set}, at});
  auto commands = tally.take_commands();
  EXPECT_TRUE(has(commands, {"ZADD", "{dash}:deadlines:jsnu", std::to_string(dashboard::Tally::epoch_day("2026-02-01")), "carol"}));
  tally.record(core::CommittedTurn{carol, jsnu, hust, {}, at});
  EXPECT_TRUE(has(tally.take_commands(), {"ZREM", "{dash}:deadlines:jsnu", "carol"}));
  dialogs::Effect forget{dialogs::Effect::Kind::forget_student, "", "en", "", "", "", {}};
  tally.record(core::CommittedTurn{carol, hust, nowhere, {forget}, at});
  EXPECT_TRUE(has(tally.take_commands(), {"ZREM", "{dash}:deadlines:hust", "carol"}));
}

TEST(TallyTest, DatesAndHoursAreChinaTime) {
  EXPECT_EQ(dashboard::Tally::china_date(1764892800 - 1), "2025-12-05");  // 07:59:59 in China
  EXPECT_EQ(dashboard::Tally::china_date(1764892800 - 8 * 3600 - 1), "2025-12-04");
  EXPECT_EQ(dashboard::Tally::china_hour(1764892800), 8);
  EXPECT_EQ(dashboard::Tally::epoch_day("1970-01-02"), 1);
  EXPECT_EQ(dashboard::Tally::epoch_day("2026-02-30"), -1);
  EXPECT_EQ(dashboard::Tally::epoch_day("soon"), -1);
}

}  // namespace
}  // namespace permit
