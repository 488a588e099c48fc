// A student mid-walkthrough keeps the release they started on until the
// walkthrough ends or a migration moves them.

#include "dialogs/versions.hpp"
#include "tests/support/shipped_engine.hpp"

#include <gtest/gtest.h>

namespace permit::dialogs {
namespace {

const auto kNow = std::chrono::sys_days(std::chrono::year{2026} / 11 / 21) + std::chrono::hours(9);

University& cqupt(ScriptSet& set) {
  for (auto& u : set.universities)
    if (u.id == "cqupt") return u;
  throw std::logic_error("no cqupt");
}

class VersionedDialogTest : public ::testing::Test {
 protected:
  VersionedDialogTest() {
    ScriptSet changed = permit::testing::shipped_engine().scripts();
    cqupt(changed).nodes.at("step2").text.en = "Step two, rewritten";
    v1_ = std::make_shared<Engine>(ScriptSet(permit::testing::shipped_engine().scripts()), 1);
    v2_ = std::make_shared<Engine>(std::move(changed), 2);
  }

  std::string say(const Dialog& d, std::string& state, const std::string& text) {
    auto out = d.respond(state, Inbound{Inbound::Kind::text, text}, kNow);
    state = out.state;
    std::string joined;
    for (auto& r : out.replies) joined += r;
    return joined;
  }

  std::shared_ptr<const Engine> v1_, v2_;
};

TEST_F(VersionedDialogTest, TheEngineStampsTheReleaseOnlyDuringAWalkthrough) {
  std::string state;
  say(*v1_, state, "cqupt");
  EXPECT_EQ(StudentState::parse(state).release, 0);
  say(*v1_, state, "start");
  EXPECT_EQ(StudentState::parse(state).release, 1);
  say(*v1_, state, "hust");  // another university: the walkthrough is over
  EXPECT_EQ(StudentState::parse(state).release, 0);
}

TEST_F(VersionedDialogTest, AStudentMidWalkthroughStaysOnTheirRelease) {
  VersionedDialog before({{1, Release{v1_, {}}}}, 1);
  std::string state;
  say(before, state, "cqupt");
  say(before, state, "start");
  VersionedDialog after({{1, Release{v1_, {}}}, {2, Release{v2_, {}}}}, 2);
  EXPECT_EQ(after.release_for(StudentState::parse(state)), 1);
  auto reply = say(after, state, "next");
  EXPECT_EQ(reply.find("rewritten"), std::string::npos) << reply;
  EXPECT_EQ(StudentState::parse(state).release, 1);
  // A new student gets the new release.
  std::string fresh;
  say(after, fresh, "cqupt");
  say(after, fresh, "start");
  EXPECT_NE(say(after, fresh, "next").find("rewritten"), std::string::npos);
  EXPECT_EQ(StudentState::parse(fresh).release, 2);
  // A walkthrough begun anew is on the current release.
  say(after, state, "restart");
  EXPECT_EQ(StudentState::parse(state).release, 2);
  EXPECT_NE(say(after, state, "next").find("rewritten"), std::string::npos);
}

TEST_F(VersionedDialogTest, AMigrationMovesTheStudentOntoTheNewRelease) {
  VersionedDialog before({{1, Release{v1_, {}}}}, 1);
  std::string state;
  say(before, state, "cqupt");
  say(before, state, "start");
  Migration migration;
  migration.universities["cqupt"] = {};
  VersionedDialog after({{1, Release{v1_, {}}}, {2, Release{v2_, migration}}}, 2);
  EXPECT_EQ(after.release_for(StudentState::parse(state)), 2);
  EXPECT_NE(say(after, state, "next").find("rewritten"), std::string::npos);
  EXPECT_EQ(StudentState::parse(state).release, 2);
}

TEST_F(VersionedDialogTest, AMigrationToANodeThatIsNotThereHasNoDestination) {
  std::string state;
  say(*v1_, state, "cqupt");
  say(*v1_, state, "start");
  Migration renamed;
  renamed.universities["cqupt"] = {{"step1", "step2"}};
  StudentState st = StudentState::parse(state);
  EXPECT_TRUE(migrate(st, &renamed, *v2_));
  EXPECT_EQ(st.node, "step2");
  Migration broken;
  broken.universities["cqupt"] = {{"step1", "no-such-node"}};
  st = StudentState::parse(state);
  EXPECT_FALSE(migrate(st, &broken, *v2_));
}

TEST_F(VersionedDialogTest, AnUnloadedReleaseFallsBackToTheCurrentOneWithoutAnError) {
  std::string state;
  say(*v1_, state, "cqupt");
  say(*v1_, state, "start");
  VersionedDialog only_new({{2, Release{v2_, {}}}}, 2);
  EXPECT_EQ(only_new.release_for(StudentState::parse(state)), 1);
  auto reply = say(only_new, state, "next");
  EXPECT_NE(reply.find("rewritten"), std::string::npos) << reply;
}

}  // namespace
}  // namespace permit::dialogs
