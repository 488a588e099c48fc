// MessageCommitter's rules, on an in-memory MessageStore: no redis-server,
// no socket. The Redis store itself is tested in tests/integration
// (conversation_store, held_messages, inbound_pipeline).

#include "bot/inbound/message_committer.hpp"
#include "dialogs/student_state.hpp"
#include "tests/support/async_runner.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

namespace permit {
namespace {
namespace asio = boost::asio;
using core::CommitResult;
using core::StoredConversation;

// One student's storage as the commit script keeps it: a versioned state,
// the replies of committed messages, and an outbox. Every call is logged,
// so a test can check the order of writes.
class MemoryStore final : public core::MessageStore {
 public:
  std::int64_t version = 0;
  std::string state;
  std::map<std::string, std::string> replies;  // dedupe -> reply
  std::vector<std::string> outbox;
  std::vector<std::string> calls;
  std::vector<std::pair<std::string, std::int64_t>> committed_at;  // the last 4: dedupe, version
  // Before the next commit, "another instance" commits this state.
  std::optional<std::string> interloper;
  bool always_conflict = false;
  // The ring's keys the last commit was given.
  std::optional<core::RecentKeys> given_recent;

  asio::awaitable<boost::system::result<StoredConversation>> load(std::string_view,
                                                                  std::string_view dedupe) override {
    calls.push_back("load");
    StoredConversation stored;
    if (auto it = replies.find(std::string(dedupe)); it != replies.end()) {
      stored.prior_reply = it->second;
      stored.pending_effects = static_cast<std::int64_t>(outbox.size());
    }
    // The ring at this version: the dedupe keys of the last 4 commits.
    core::RecentKeys recent;
    for (const auto& [key, v] : committed_at) recent[core::ring_slot(v)] = key;
    stored.conversation = {version, state, nullptr, std::move(recent)};
    co_return stored;
  }

  asio::awaitable<boost::system::result<CommitResult>> commit(std::string_view, std::string_view dedupe,
                                                              std::int64_t expected, std::string new_state,
                                                              std::string reply,
                                                              std::vector<std::string> effects,
                                                              const core::RecentKeys* recent) override {
    calls.push_back("commit");
    given_recent = recent ? std::optional<core::RecentKeys>(*recent) : std::nullopt;
    if (interloper) {
      state = *std::exchange(interloper, std::nullopt);
      ++version;
    }
    CommitResult result;
    if (auto it = replies.find(std::string(dedupe)); it != replies.end()) {
      result.status = CommitResult::Status::duplicate;
      result.prior_reply = it->second;
      co_return result;
    }
    if (always_conflict || expected != version) {
      result.status = CommitResult::Status::conflict;
      co_return result;
    }
    state = std::move(new_state);
    replies[std::string(dedupe)] = reply;
    committed_at.emplace_back(std::string(dedupe), version + 1);
    if (committed_at.size() > core::kRecentReplies) committed_at.erase(committed_at.begin());
    outbox.insert(outbox.end(), effects.begin(), effects.end());
    result.version = ++version;
    result.pending_effects = static_cast<std::int64_t>(outbox.size());
    co_return result;
  }

  asio::awaitable<boost::system::result<void>> expect_sweep(std::string_view, std::int64_t now_ms,
                                                            std::int64_t look_at_ms) override {
    calls.push_back(look_at_ms > now_ms ? "expect_sweep" : "expect_sweep_now");
    co_return boost::system::result<void>{};
  }

  asio::awaitable<boost::system::result<void>> drain_effects(std::string, std::int64_t) override {
    calls.push_back("drain");
    outbox.clear();
    co_return boost::system::result<void>{};
  }

  int count(std::string_view call) const {
    return static_cast<int>(std::count(calls.begin(), calls.end(), call));
  }
};

// Appends what the student said to the state; "remind me" leaves an effect;
// a state of "boom" makes it throw. Its parsed state holds the state's text
// in `university`, so a test sees which one the committer handed back.
class EchoDialog final : public core::DialogSource {
 public:
  int runs = 0;
  std::vector<std::string> seen_states;
  std::vector<std::string> seen_parsed;  // "-" for none

  asio::awaitable<dialogs::Outcome> respond(std::string_view state, const dialogs::StudentState* parsed,
                                            const dialogs::Inbound& message, std::chrono::system_clock::time_point) override {
    ++runs;
    seen_states.emplace_back(state);
    seen_parsed.push_back(parsed != nullptr ? parsed->university : "-");
    if (state == "boom") throw std::runtime_error("the engine broke");
    dialogs::Outcome out;
    out.state = std::string(state) + "|" + message.text;
    auto next = std::make_shared<dialogs::StudentState>();
    next->university = out.state;
    out.parsed = std::move(next);
    out.replies = {"you said " + message.text};
    if (message.text == "remind me") {
      dialogs::Effect effect;
      effect.kind = dialogs::Effect::Kind::stop_reminders;
      out.effects.push_back(effect);
    }
    co_return out;
  }

  dialogs::Outcome keep(std::string_view state, const dialogs::Inbound&, std::string why) override {
    dialogs::Outcome out;
    out.state = std::string(state);
    out.replies = {"sorry"};
    out.kept = std::move(why);
    return out;
  }
};

wechat::InboundMessage text(std::uint64_t id, std::string content) {
  wechat::InboundMessage m;
  m.from_user = "student-1";
  m.to_user = "account";
  m.msg_type = "text";
  m.msg_id = id;
  m.content = std::move(content);
  m.create_time = 1700000000;
  return m;
}

struct Committer {
  MemoryStore store;
  EchoDialog dialog;
  core::Metrics metrics;
  core::MessageCommitter committer{store, dialog, metrics, core::SweepSchedule{}, core::CommitterOptions{.max_conflicts = 3}};
  testing::AsyncRunner runner{1};

  boost::system::result<core::Processed> commit(const wechat::InboundMessage& m) {
    return runner.run(committer.commit(m));
  }
};

TEST(MessageCommitter, ANewMessageRunsTheDialogAndCommitsStateAndReplyTogether) {
  Committer c;
  auto done = c.commit(text(1, "hello"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->reply, "you said hello");
  EXPECT_FALSE(done->duplicate);
  EXPECT_EQ(c.store.state, "|hello");
  EXPECT_EQ(c.store.version, 1);
  EXPECT_EQ(c.store.replies.at(wechat::dedupe_key(text(1, "hello"))), "you said hello");
  EXPECT_EQ(c.store.calls, (std::vector<std::string>{"load", "commit"}));
}

TEST(MessageCommitter, ARetryAfterTheCommitIsAnsweredFromMemoryWithoutTheDialogOrStorage) {
  Committer c;
  ASSERT_TRUE(c.commit(text(1, "hello")));
  auto retry = c.commit(text(1, "hello"));
  ASSERT_TRUE(retry);
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->reply, "you said hello");
  EXPECT_EQ(c.dialog.runs, 1);
  EXPECT_EQ(c.store.calls.size(), 2u) << "no load, no commit for the retry";
  EXPECT_EQ(c.store.version, 1);
}

TEST(MessageCommitter, TheNextMessageStartsFromTheCachedStateWithOneRoundTrip) {
  Committer c;
  ASSERT_TRUE(c.commit(text(1, "hello")));
  ASSERT_TRUE(c.commit(text(2, "next")));
  EXPECT_EQ(c.store.count("load"), 1);
  EXPECT_EQ(c.store.count("commit"), 2);
  EXPECT_EQ(c.store.state, "|hello|next");
  EXPECT_EQ(c.store.version, 2);
  // ...and without reading it again: the dialog gets the state it wrote.
  EXPECT_EQ(c.dialog.seen_parsed, (std::vector<std::string>{"-", "|hello"}));
}

// The commit is told which messages the conversation's ring holds at the
// expected version, from the load or from the cache's own last commit, so
// storage need not read them again to tell a new message from a retry.
TEST(MessageCommitter, EachCommitIsGivenTheRingOfMessageKeysAtItsVersion) {
  Committer c;
  const std::string first = wechat::dedupe_key(text(1, "hello"));
  ASSERT_TRUE(c.commit(text(1, "hello")));
  ASSERT_TRUE(c.store.given_recent);
  EXPECT_EQ(*c.store.given_recent, core::RecentKeys{}) << "a new student's ring is empty";
  ASSERT_TRUE(c.commit(text(2, "next")));
  ASSERT_TRUE(c.store.given_recent);
  EXPECT_EQ(*c.store.given_recent, (core::RecentKeys{"", first, "", ""})) << "version 1's slot, from the cache";
  // After another instance's commit, the ring comes from storage again.
  c.store.interloper = "elsewhere";
  ASSERT_TRUE(c.commit(text(3, "third")));
  ASSERT_TRUE(c.store.given_recent);
  EXPECT_EQ((*c.store.given_recent)[1], first);
  EXPECT_EQ((*c.store.given_recent)[2], wechat::dedupe_key(text(2, "next")));
}

TEST(MessageCommitter, AConflictRerunsTheDialogOnTheStateAnotherInstanceCommitted) {
  Committer c;
  ASSERT_TRUE(c.commit(text(1, "hello")));
  c.store.interloper = "elsewhere";
  auto done = c.commit(text(2, "next"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->reply, "you said next");
  EXPECT_EQ(c.store.state, "elsewhere|next") << "never the stale cached state";
  EXPECT_EQ(c.store.version, 3);
  EXPECT_EQ(c.dialog.seen_states, (std::vector<std::string>{"", "|hello", "elsewhere"}));
  EXPECT_EQ(c.dialog.seen_parsed, (std::vector<std::string>{"-", "|hello", "-"})) << "what Redis gave is read afresh";
  EXPECT_EQ(c.store.calls, (std::vector<std::string>{"load", "commit", "commit", "load", "commit"}));
}

TEST(MessageCommitter, EndlessConflictsEndInAnErrorAndNoCommit) {
  Committer c;
  c.store.always_conflict = true;
  auto done = c.commit(text(1, "hello"));
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error(), make_error_code(boost::system::errc::resource_unavailable_try_again));
  EXPECT_EQ(c.dialog.runs, 4) << "the first try and max_conflicts (3) more";
  EXPECT_EQ(c.store.version, 0);
  EXPECT_TRUE(c.store.replies.empty());
}

// The webhook's own try (InboundPipeline): once, and on a conflict nothing,
// so that the full commit, in the background, does the rest.
TEST(MessageCommitter, ACommitTriedOnceGivesWayOnAConflictAndLeavesTheRestToTheFullCommit) {
  Committer c;
  auto first = c.runner.run(c.committer.commit_once(text(1, "hello")));
  ASSERT_TRUE(first.has_value()) << "a message with no conflict is committed by the one try";
  ASSERT_TRUE(*first);
  EXPECT_EQ((*first)->reply, "you said hello");
  EXPECT_EQ(c.store.version, 1);

  c.store.interloper = "elsewhere";
  auto second = c.runner.run(c.committer.commit_once(text(2, "next")));
  EXPECT_FALSE(second.has_value()) << "a conflict is not retried by the one try";
  EXPECT_EQ(c.store.version, 2) << "only the other instance's commit";
  EXPECT_EQ(c.store.replies.count(wechat::dedupe_key(text(2, "next"))), 0u);
  EXPECT_EQ(c.store.calls, (std::vector<std::string>{"load", "commit", "commit"}));

  auto done = c.commit(text(2, "next"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->reply, "you said next");
  EXPECT_EQ(c.store.state, "elsewhere|next");
  EXPECT_EQ(c.store.version, 3);

  // A retry of a committed message is answered by the one try too.
  auto retry = c.runner.run(c.committer.commit_once(text(2, "next")));
  ASSERT_TRUE(retry.has_value() && *retry);
  EXPECT_TRUE((*retry)->duplicate);
  EXPECT_EQ((*retry)->reply, "you said next");
}

TEST(MessageCommitter, EffectsAreAnnouncedToTheSweepBeforeTheCommitAndDrainedAfterIt) {
  Committer c;
  ASSERT_TRUE(c.commit(text(1, "remind me")));
  EXPECT_EQ(c.store.calls, (std::vector<std::string>{"load", "expect_sweep", "commit", "drain"}));
  EXPECT_TRUE(c.store.outbox.empty());
  // Without effects, neither.
  ASSERT_TRUE(c.commit(text(2, "hello")));
  EXPECT_EQ(c.store.count("expect_sweep"), 1);
  EXPECT_EQ(c.store.count("drain"), 1);
}

TEST(MessageCommitter, AMessageCommittedByAnotherInstanceIsAnsweredWithItsReplyAndItsEffectsDrained) {
  Committer c;
  const auto message = text(1, "hello");
  c.store.replies[wechat::dedupe_key(message)] = "the first attempt's reply";
  c.store.outbox = {"{\"kind\":\"late_reply\"}"};
  auto done = c.commit(message);
  ASSERT_TRUE(done);
  EXPECT_TRUE(done->duplicate);
  EXPECT_EQ(done->reply, "the first attempt's reply");
  EXPECT_EQ(c.dialog.runs, 0);
  EXPECT_EQ(c.store.calls, (std::vector<std::string>{"load", "drain"}));
}

TEST(MessageCommitter, ADialogThatThrowsKeepsTheStoredStateAndCommitsTheApology) {
  Committer c;
  c.store.state = "boom";
  auto done = c.commit(text(1, "hello"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->reply, "sorry");
  EXPECT_EQ(c.store.state, "boom") << "the progress is kept, never wiped";
  EXPECT_EQ(c.store.version, 1) << "committed, so a retry gets the same answer";
  EXPECT_NE(c.metrics.render({}).find("permit_dialog_state_kept_total{reason=\"failed\"} 1"), std::string::npos)
      << c.metrics.render({});
}

}  // namespace
}  // namespace permit
