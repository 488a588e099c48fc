// The common commit as an optimistic transaction (WatchedCommit): it writes
// what the commit function writes, refuses what the function refuses, and
// leaves to the function what it cannot decide, against a real Redis.

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/watched_commit.hpp"
#include "bot/redis/redis_client.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Status = core::CommitResult::Status;

// One bot instance's store: the function on its main connection, and (when
// `watched`) the transaction on a second one, as main.cpp wires them.
struct Instance {
  Instance(const RedisServer& server, bool watched) {
    redis::Options options;
    options.port = server.port();
    main = std::make_unique<redis::Client>(runner.executor(), options);
    commits = std::make_unique<redis::Client>(runner.executor(), options);
    main->start();
    commits->start();
    EXPECT_TRUE(eventually([&] { return main->connected() && commits->connected(); }, 5s));
    store = std::make_unique<core::ConversationStore>(*main, core::StoreOptions{});
    transaction = std::make_unique<core::WatchedCommit>(runner.executor(), *commits);
    if (watched) store->commit_new_by(transaction.get());
  }
  ~Instance() {
    runner.run(commits->close(500ms));
    runner.run(main->close(500ms));
    runner.stop();
  }

  // A new message of `student` (its key not in the ring) at `version`.
  boost::system::result<core::CommitResult> commit(const std::string& student, const std::string& dedupe,
                                                   std::int64_t version, std::vector<std::string> effects = {}) {
    return runner.run(commit_async(student, dedupe, version, std::move(effects)));
  }
  asio::awaitable<boost::system::result<core::CommitResult>> commit_async(std::string student, std::string dedupe,
                                                                          std::int64_t version,
                                                                          std::vector<std::string> effects) {
    const core::RecentKeys ring{};  // no message of this test is in it
    std::string state = "{\"said\":\"" + dedupe + "\"}";
    std::string reply = "reply to " + dedupe;
    co_return co_await store->commit(student, dedupe, version, std::move(state), std::move(reply), std::move(effects),
                                     &ring);
  }

  AsyncRunner runner{2};
  std::unique_ptr<redis::Client> main, commits;
  std::unique_ptr<core::ConversationStore> store;
  std::unique_ptr<core::WatchedCommit> transaction;
};

// The conversation hash without its time field, "field=value" sorted.
std::vector<std::string> fields(const RedisServer& redis, const std::string& student) {
  std::vector<std::string> lines, out;
  std::string all = redis.command({"HGETALL", core::conversation_key(student)});
  for (std::size_t at = 0; at <= all.size();) {
    auto end = all.find('\n', at);
    if (end == std::string::npos) end = all.size();
    lines.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  for (std::size_t i = 0; i + 1 < lines.size(); i += 2)
    if (lines[i] != "t") out.push_back(lines[i] + "=" + lines[i + 1]);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(WatchedCommit, WritesWhatTheFunctionWrites) {
  RedisServer redis;
  Instance by_function(redis, false), by_transaction(redis, true);
  for (int v = 0; v < 6; ++v) {
    const std::string dedupe = "m" + std::to_string(v);
    std::vector<std::string> effects{"{\"kind\":\"e" + std::to_string(v) + "\"}"};
    auto a = by_function.commit("stu_fn", dedupe, v, effects);
    auto b = by_transaction.commit("stu_tx", dedupe, v, effects);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->status, Status::committed);
    EXPECT_EQ(b->status, Status::committed);
    EXPECT_EQ(b->version, v + 1);
    EXPECT_EQ(b->pending_effects, a->pending_effects);  // what RPUSH answered
  }
  EXPECT_EQ(fields(redis, "stu_tx"), fields(redis, "stu_fn"));
  EXPECT_NE(redis.command({"HGET", core::conversation_key("stu_tx"), "t"}), "(nil)");
  EXPECT_EQ(redis.command({"LRANGE", core::outbox_key("stu_tx"), "0", "-1"}),
            redis.command({"LRANGE", core::outbox_key("stu_fn"), "0", "-1"}));
  EXPECT_GT(std::stoll(redis.command({"TTL", core::conversation_key("stu_tx")})), 0);
  EXPECT_GT(std::stoll(redis.command({"TTL", core::outbox_key("stu_tx")})), 0);
  EXPECT_EQ(by_transaction.transaction->transactions(), 6u);
  EXPECT_EQ(by_function.transaction->transactions(), 0u);
}

TEST(WatchedCommit, AConversationAtAnotherVersionIsAConflictAndNothingIsWritten) {
  RedisServer redis;
  Instance other(redis, false), instance(redis, true);
  ASSERT_TRUE(other.commit("stu_c", "first", 0));
  ASSERT_TRUE(other.commit("stu_c", "second", 1));
  const auto before = fields(redis, "stu_c");
  auto stale = instance.commit("stu_c", "third", 0);
  ASSERT_TRUE(stale);
  EXPECT_EQ(stale->status, Status::conflict);
  EXPECT_EQ(stale->version, 2);
  EXPECT_EQ(fields(redis, "stu_c"), before);
  EXPECT_EQ(instance.transaction->transactions(), 0u);  // nothing was sent to write
}

TEST(WatchedCommit, AHeldMessageIsLeftToTheFunctionWhichReleasesIt) {
  RedisServer redis;
  Instance instance(redis, true);
  auto held = instance.runner.run(instance.store->hold("stu_h", "held1", "{\"text\":\"hi\"}"));
  ASSERT_TRUE(held);
  ASSERT_EQ(*held, core::HoldResult::held);
  auto done = instance.commit("stu_h", "held1", 0);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, Status::committed);
  EXPECT_EQ(instance.transaction->transactions(), 0u);
  // The function took it out of the inbox, queued its reply, dropped the mark.
  EXPECT_EQ(redis.command({"EXISTS", core::inbox_key("stu_h")}), "0");
  EXPECT_NE(redis.command({"LRANGE", core::outbox_key("stu_h"), "0", "-1"}).find("late_reply"), std::string::npos);
  EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_h"), "h"}), "(nil)");
  // The next message goes by the transaction again.
  auto next = instance.commit("stu_h", "next", 1);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->status, Status::committed);
  EXPECT_EQ(instance.transaction->transactions(), 1u);
}

TEST(WatchedCommit, AWriteBetweenTheStepsRefusesTheTransactionAndTheFunctionDecides) {
  RedisServer redis;
  Instance instance(redis, true);
  ASSERT_TRUE(instance.commit("stu_w", "first", 0));
  // Something else touches the hash after the version was read: the
  // transaction is refused, and the function commits (the version is
  // still the expected one).
  instance.transaction->between_steps_for_tests(
      [&] { redis.command({"HSET", core::conversation_key("stu_w"), "x", "1"}); });
  auto second = instance.commit("stu_w", "second", 1);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, Status::committed);
  EXPECT_EQ(instance.transaction->refused(), 1u);
  EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_w"), "v"}), "2");
  EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_w"), "r2"}), "reply to second");

  // Another instance commits the same version in between: refused, and
  // the function finds the conflict; the other's commit stands.
  Instance other(redis, false);
  instance.transaction->between_steps_for_tests([&] { EXPECT_TRUE(other.commit("stu_w", "theirs", 2)); });
  auto third = instance.commit("stu_w", "mine", 2);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, Status::conflict);
  EXPECT_EQ(third->version, 3);
  EXPECT_EQ(instance.transaction->refused(), 2u);
  EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_w"), "r3"}), "reply to theirs");
}

TEST(WatchedCommit, AConnectionLostBetweenTheStepsWritesNothing) {
  RedisServer redis;
  Instance instance(redis, true);
  ASSERT_TRUE(instance.commit("stu_k", "first", 0));
  // Every client but this one is cut off after the read, and the commit
  // connection is back before the write: the write must not go out
  // unwatched on the new connection.
  instance.transaction->between_steps_for_tests([&] {
    const auto serial = instance.commits->connection_serial();
    redis.command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"});
    EXPECT_TRUE(eventually(
        [&] { return instance.commits->connected() && instance.commits->connection_serial() != serial; }, 5s));
  });
  auto lost = instance.commit("stu_k", "second", 1);
  EXPECT_FALSE(lost);
  EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_k"), "v"}), "1");
  // Once reconnected, the message commits.
  instance.transaction->between_steps_for_tests({});
  ASSERT_TRUE(eventually([&] { return instance.commits->connected(); }, 5s));
  auto again = instance.commit("stu_k", "second", 1);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, Status::committed);
}

TEST(WatchedCommit, MessagesThatWaitTogetherShareOneTransaction) {
  RedisServer redis;
  Instance instance(redis, true);
  constexpr int kStudents = 40;
  std::atomic<int> committed{0};
  // Started together from one coroutine each, so most wait while the
  // first transaction is out.
  instance.runner.run([&]() -> asio::awaitable<void> {
    std::vector<std::future<void>> all;
    for (int i = 0; i < kStudents; ++i)
      all.push_back(asio::co_spawn(
          instance.runner.executor(),
          [&, i]() -> asio::awaitable<void> {
            auto r = co_await instance.commit_async("stu_g" + std::to_string(i), "m", 0, {});
            if (r && r->status == Status::committed) ++committed;
          },
          asio::use_future));
    for (auto& f : all) f.wait();
    co_return;
  }());
  EXPECT_EQ(committed.load(), kStudents);
  EXPECT_LT(instance.transaction->transactions(), static_cast<std::uint64_t>(kStudents));
  for (int i = 0; i < kStudents; ++i)
    EXPECT_EQ(redis.command({"HGET", core::conversation_key("stu_g" + std::to_string(i)), "v"}), "1");
}

}  // namespace
}  // namespace permit::testing
