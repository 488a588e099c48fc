// Messages held in Redis because their webhook answered "success" before the
// reply was ready (ConversationStore::hold, Inbox). Each test leaves Redis as
// an instance that died at some point would have, using the bot's own
// store, and checks that what was acknowledged is committed once and
// answered once.

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/effect_outbox.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/inbound/late_reply_queue.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/wechat/message_json.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

std::size_t count_of(const std::string& text, const std::string& piece) {
  std::size_t n = 0;
  for (auto at = text.find(piece); at != std::string::npos; at = text.find(piece, at + piece.size())) ++n;
  return n;
}

// The bot's own store and inbox on a client of their own, as a bot
// instance uses them.
struct Instance {
  explicit Instance(const RedisServer& server) {
    redis::Options options;
    options.port = server.port();
    client = std::make_unique<redis::Client>(runner.executor(), options);
    client->start();
    // The connect is async; commands fail fast until it is up.
    EXPECT_TRUE(eventually([&] { return client->connected(); }, 5s));
    store = std::make_unique<core::ConversationStore>(*client, core::StoreOptions{});
    inbox = std::make_unique<core::Inbox>(*client);
  }
  ~Instance() {
    runner.run(client->close(500ms));
    runner.stop();
  }

  // What the webhook does around holding a message; the student is due
  // for a sweep at once (or in 2 s), as if the instance's retries were over.
  core::HoldResult hold(const wechat::InboundMessage& m) {
    return runner.run([&]() -> asio::awaitable<core::HoldResult> {
      const std::int64_t now_ms = unix_now() * 1000;
      auto expected = co_await inbox->expect(m.from_user, now_ms, 0);
      EXPECT_TRUE(expected) << expected.error().message();
      // (Named first: GCC 12 mishandles temporaries in a co_await expression.)
      const std::string dedupe = wechat::dedupe_key(m);
      std::string body = wechat::to_json_body(m);
      auto held = co_await store->hold(m.from_user, dedupe, std::move(body));
      EXPECT_TRUE(held) << held.error().message();
      // And again after, as the webhook does: a sweep that looked in
      // between must not leave the message without an entry.
      expected = co_await inbox->expect(m.from_user, now_ms, 0);
      EXPECT_TRUE(expected) << expected.error().message();
      co_return held ? *held : core::HoldResult::held;
    }());
  }

  core::CommitResult::Status commit(const wechat::InboundMessage& m, std::int64_t version, const std::string& reply,
                                    std::vector<std::string> effects = {}) {
    return runner.run([&]() -> asio::awaitable<core::CommitResult::Status> {
      const std::string dedupe = wechat::dedupe_key(m);
      std::string state = "{}";
      auto committed = co_await store->commit(m.from_user, dedupe, version, std::move(state), reply, std::move(effects));
      EXPECT_TRUE(committed) << committed.error().message();
      co_return committed ? committed->status : core::CommitResult::Status::conflict;
    }());
  }

  AsyncRunner runner{1};
  std::unique_ptr<redis::Client> client;
  std::unique_ptr<core::ConversationStore> store;
  std::unique_ptr<core::Inbox> inbox;
};

std::string late_replies(const RedisServer& redis) {
  return redis.command({"XRANGE", core::LateReplyQueue::kStream, "-", "+"});
}

TEST(HeldMessages, TheCommitTakesAHeldMessageOutAndQueuesItsReplyOnce) {
  RedisServer redis;
  Instance instance(redis);
  auto m = text_message("stu_commit", 71, "hello");
  EXPECT_EQ(instance.hold(m), core::HoldResult::held);
  EXPECT_EQ(redis.command({"HLEN", "{u:stu_commit}:inbox"}), "1");

  EXPECT_EQ(instance.commit(m, 0, "the reply"), core::CommitResult::Status::committed);
  EXPECT_EQ(redis.command({"HLEN", "{u:stu_commit}:inbox"}), "0");
  const std::string outbox = redis.command({"LRANGE", "{u:stu_commit}:outbox", "0", "-1"});
  EXPECT_EQ(count_of(outbox, "late_reply"), 1u) << outbox;
  EXPECT_NE(outbox.find("the reply"), std::string::npos) << outbox;

  // A second attempt of the same message finds it committed and queues
  // nothing more.
  EXPECT_EQ(instance.commit(m, 1, "another reply"), core::CommitResult::Status::duplicate);
  EXPECT_EQ(redis.command({"LLEN", "{u:stu_commit}:outbox"}), "1");
  EXPECT_EQ(redis.command({"HGET", "{u:stu_commit}:conv", "v"}), "1");
}

// The store keeps the replies of a student's last 4 messages for retries,

// The commit asks the inbox about the message only while the conversation
// carries the hold's mark ('h'); the mark goes with the last held message,
// so a message held after another's commit is still found.
TEST(HeldMessages, TheHoldMarkStaysUntilTheLastHeldMessageIsCommitted) {
  RedisServer redis;
  Instance instance(redis);
  auto first = text_message("stu_mark", 81, "one");
  auto second = text_message("stu_mark", 82, "two");
  EXPECT_EQ(instance.commit(text_message("stu_mark", 80, "zero"), 0, "r0"), core::CommitResult::Status::committed);
  EXPECT_EQ(redis.command({"HEXISTS", "{u:stu_mark}:conv", "h"}), "0");

  EXPECT_EQ(instance.hold(first), core::HoldResult::held);
  EXPECT_EQ(instance.hold(second), core::HoldResult::held);
  EXPECT_EQ(redis.command({"HEXISTS", "{u:stu_mark}:conv", "h"}), "1");
  EXPECT_EQ(instance.commit(first, 1, "r1"), core::CommitResult::Status::committed);
  EXPECT_EQ(redis.command({"HEXISTS", "{u:stu_mark}:conv", "h"}), "1");
  EXPECT_EQ(instance.commit(second, 2, "r2"), core::CommitResult::Status::committed);
  EXPECT_EQ(redis.command({"HEXISTS", "{u:stu_mark}:conv", "h"}), "0");
  const std::string outbox = redis.command({"LRANGE", "{u:stu_mark}:outbox", "0", "-1"});
  EXPECT_EQ(count_of(outbox, "late_reply"), 2u) << outbox;

  // Held again after the mark went: the commit finds it.
  auto third = text_message("stu_mark", 83, "three");
  EXPECT_EQ(instance.hold(third), core::HoldResult::held);
  EXPECT_EQ(instance.commit(third, 3, "r3"), core::CommitResult::Status::committed);
  EXPECT_EQ(redis.command({"HLEN", "{u:stu_mark}:inbox"}), "0");
  EXPECT_EQ(count_of(redis.command({"LRANGE", "{u:stu_mark}:outbox", "0", "-1"}), "late_reply"), 3u);
}
// in the conversation hash (no key per message).
TEST(RecentReplies, ARetryAfterThreeLaterMessagesIsAnsweredAsBeforeAndAFourthPushesItOut) {
  RedisServer redis;
  Instance instance(redis);
  auto message = [](int id) { return text_message("stu_ring", id, "hello " + std::to_string(id)); };
  for (int i = 0; i < 4; ++i)
    ASSERT_EQ(instance.commit(message(100 + i), i, "reply " + std::to_string(i)), core::CommitResult::Status::committed);
  // The first message's retry, after three more: answered with its reply,
  // the version unmoved.
  EXPECT_EQ(instance.commit(message(100), 4, "again"), core::CommitResult::Status::duplicate);
  auto loaded = instance.runner.run([&]() -> asio::awaitable<boost::system::result<core::StoredConversation>> {
    co_return co_await instance.store->load("stu_ring", "m:100");
  }());
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->prior_reply.has_value());
  EXPECT_EQ(*loaded->prior_reply, "reply 0");
  EXPECT_EQ(redis.command({"HGET", "{u:stu_ring}:conv", "v"}), "4");
  // One key for the student: state, version, times and the ring.
  EXPECT_EQ(redis.command({"KEYS", "*"}), "{u:stu_ring}:conv");
  EXPECT_EQ(redis.command({"HLEN", core::conversation_key("stu_ring")}), "12");
  EXPECT_GT(std::stoll(redis.command({"TTL", core::conversation_key("stu_ring")})), 179LL * 24 * 3600);
  // A fourth later message takes its slot.
  ASSERT_EQ(instance.commit(message(104), 4, "reply 4"), core::CommitResult::Status::committed);
  EXPECT_EQ(instance.commit(message(101), 5, "again"), core::CommitResult::Status::duplicate);
  EXPECT_EQ(instance.commit(message(100), 5, "new"), core::CommitResult::Status::committed);
}

TEST(HeldMessages, HoldingAMessageCommittedAlreadyQueuesItsStoredReply) {
  RedisServer redis;
  Instance instance(redis);
  auto m = text_message("stu_early", 72, "hello");
  // The commit won the race with the webhook's deadline.
  EXPECT_EQ(instance.commit(m, 0, "stored reply"), core::CommitResult::Status::committed);
  EXPECT_EQ(instance.hold(m), core::HoldResult::committed);
  EXPECT_EQ(redis.command({"HLEN", "{u:stu_early}:inbox"}), "0");
  const std::string outbox = redis.command({"LRANGE", "{u:stu_early}:outbox", "0", "-1"});
  EXPECT_EQ(count_of(outbox, "late_reply"), 1u) << outbox;
  EXPECT_NE(outbox.find("stored reply"), std::string::npos) << outbox;
}

TEST(HeldMessages, ReadingACommittedMessageThatIsStillHeldQueuesItsReplyOnce) {
  RedisServer redis;
  Instance instance(redis);
  auto m = text_message("stu_both", 77, "hello");
  EXPECT_EQ(instance.commit(m, 0, "stored reply"), core::CommitResult::Status::committed);
  // Held and committed at once: not a state the bot's own scripts leave,
  // but the read must not leave it held for ever.
  redis.command({"HSET", "{u:stu_both}:inbox", "m:77", wechat::to_json_body(m)});
  auto loaded = instance.runner.run([&]() -> asio::awaitable<boost::system::result<core::StoredConversation>> {
    co_return co_await instance.store->load("stu_both", "m:77");
  }());
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->prior_reply.has_value());
  EXPECT_EQ(*loaded->prior_reply, "stored reply");
  EXPECT_EQ(loaded->pending_effects, 1);
  EXPECT_EQ(redis.command({"HLEN", "{u:stu_both}:inbox"}), "0");
  EXPECT_EQ(count_of(redis.command({"LRANGE", "{u:stu_both}:outbox", "0", "-1"}), "stored reply"), 1u);
}

TEST(HeldMessages, ASweepLeavesTheEntryOfAStudentWhoseMessageWasHeldWhileItLooked) {
  RedisServer redis;
  Instance instance(redis);
  // A sweep a little in the future, when the student is certainly due.
  const std::int64_t sweep_at = (unix_now() + 10) * 1000;
  auto claim = [&] {
    return instance.runner.run([&]() -> asio::awaitable<boost::system::result<std::vector<core::Inbox::Claim>>> {
      co_return co_await instance.inbox->claim_due(sweep_at, 30000, 16);
    }());
  };
  auto release = [&](const core::Inbox::Claim& c) {
    return instance.runner.run([&]() -> asio::awaitable<boost::system::result<void>> {
      co_return co_await instance.inbox->release(c);
    }());
  };
  EXPECT_EQ(instance.hold(text_message("stu_busy", 78, "hello")), core::HoldResult::held);
  auto claims = claim();
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 1u);
  EXPECT_EQ(redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_busy"}), claims->front().score);
  // Meanwhile another message of the student is held (its instance writes
  // the entry around it); the sweep, done with what it read, releases its
  // claim, and the entry stays for the new message.
  EXPECT_EQ(instance.hold(text_message("stu_busy", 79, "again")), core::HoldResult::held);
  ASSERT_TRUE(release(claims->front()));
  const std::string after = redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_busy"});
  EXPECT_NE(after, "(nil)");
  EXPECT_NE(after, claims->front().score);
  // Without a newer hold, the release drops the entry.
  claims = claim();
  ASSERT_TRUE(claims);
  ASSERT_EQ(claims->size(), 1u);
  ASSERT_TRUE(release(claims->front()));
  EXPECT_EQ(redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_busy"}), "(nil)");
}

TEST(HeldMessages, AStudentWhoKeepsWritingDoesNotPutOffAnEarlierHeldMessage) {
  RedisServer redis;
  Instance instance(redis);
  auto expect = [&](std::int64_t now, std::int64_t at) {
    return instance.runner.run([&]() -> asio::awaitable<boost::system::result<void>> {
      co_return co_await instance.inbox->expect("stu_chatty", now, at);
    }());
  };
  auto score = [&] { return redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_chatty"}); };
  ASSERT_TRUE(expect(1000, 5000));
  EXPECT_EQ(score(), "5000");
  // A later message keeps the earlier time; an earlier time wins.
  ASSERT_TRUE(expect(1000, 9000));
  EXPECT_EQ(score(), "5000");
  ASSERT_TRUE(expect(1000, 3000));
  EXPECT_EQ(score(), "3000");
  // A time already due is moved just past now (2 s): no sweep may look
  // between this and the hold that follows it.
  ASSERT_TRUE(expect(6000, 20000));
  EXPECT_EQ(score(), "8000");
}

TEST(HeldMessages, AMessageHeldByAnInstanceThatDiedIsCommittedAndAnsweredByAnother) {
  RedisServer redis;
  {
    // It held the message, said "success", and died before the commit.
    Instance dead(redis);
    EXPECT_EQ(dead.hold(text_message("stu_orphan", 73, "cqupt")), core::HoldResult::held);
  }
  BotProcess bot(redis.url());
  ASSERT_TRUE(eventually([&] { return late_replies(redis).find("University: CQUPT") != std::string::npos; }))
      << late_replies(redis) << bot.log();
  const std::string entries = late_replies(redis);
  EXPECT_NE(entries.find("stu_orphan"), std::string::npos) << entries;
  EXPECT_NE(entries.find("m:73"), std::string::npos) << entries;
  EXPECT_EQ(redis.command({"HGET", "{u:stu_orphan}:conv", "v"}), "1");
  EXPECT_EQ(redis.command({"EXISTS", "{u:stu_orphan}:inbox"}), "0");
  // Nothing is left, so the student is dropped from the sweep's index.
  EXPECT_TRUE(eventually([&] { return redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_orphan"}) == "(nil)"; }));
  EXPECT_EQ(bot_metric(bot.port(), "permit_held_finished_total"), "1");

  // The platform's retry of that message gets the same reply, and nothing
  // moves or is queued again.
  WechatClient client(bot.port());
  auto retry = client.send_text("stu_orphan", 73, "cqupt");
  EXPECT_NE(retry.content.find("University: CQUPT"), std::string::npos) << retry.content;
  EXPECT_EQ(redis.command({"HGET", "{u:stu_orphan}:conv", "v"}), "1");
  EXPECT_EQ(redis.command({"XLEN", core::LateReplyQueue::kStream}), "1");
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

TEST(HeldMessages, AReplyCommittedButNotHandedToTheSenderIsQueuedByAnotherInstance) {
  RedisServer redis;
  {
    // Committed (the reply is in the student's outbox), then died before
    // the drain.
    Instance dead(redis);
    auto m = text_message("stu_undrained", 74, "hello");
    EXPECT_EQ(dead.hold(m), core::HoldResult::held);
    EXPECT_EQ(dead.commit(m, 0, "committed reply"), core::CommitResult::Status::committed);
  }
  BotProcess bot(redis.url());
  ASSERT_TRUE(eventually([&] { return late_replies(redis).find("committed reply") != std::string::npos; }))
      << bot.log();
  // Applied first, then removed from the outbox.
  EXPECT_TRUE(eventually([&] { return redis.command({"LLEN", "{u:stu_undrained}:outbox"}) == "0"; }));
  EXPECT_EQ(redis.command({"HGET", "{u:stu_undrained}:conv", "v"}), "1");
  EXPECT_EQ(count_of(late_replies(redis), "committed reply"), 1u);
  EXPECT_TRUE(eventually([&] { return redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_undrained"}) == "(nil)"; }));
}

TEST(HeldMessages, TwoInstancesSweepingTogetherCommitEachHeldMessageOnce) {
  RedisServer redis;
  constexpr int kStudents = 40;
  // Both instances run (and sweep every second) while the messages appear.
  BotProcess a(redis.url()), b(redis.url());
  {
    Instance dead(redis);
    for (int i = 0; i < kStudents; ++i) {
      // Two messages each, in the order they were sent.
      const std::string openid = "stu_many_" + std::to_string(i);
      EXPECT_EQ(dead.hold(text_message(openid, 1000 + 2 * i, "hello")), core::HoldResult::held);
      EXPECT_EQ(dead.hold(text_message(openid, 1001 + 2 * i, "cqupt")), core::HoldResult::held);
    }
  }
  ASSERT_TRUE(eventually([&] { return redis.command({"ZCARD", core::Inbox::kSweepDue}) == "0"; }))
      << redis.command({"ZRANGE", core::Inbox::kSweepDue, "0", "-1"}) << a.log() << b.log();
  for (int i = 0; i < kStudents; ++i) {
    const std::string openid = "stu_many_" + std::to_string(i);
    EXPECT_EQ(redis.command({"HGET", "{u:" + openid + "}:conv", "v"}), "2") << openid;
  }
  const std::string entries = late_replies(redis);
  for (int i = 0; i < 2 * kStudents; ++i)
    EXPECT_EQ(count_of(entries, "m:" + std::to_string(1000 + i) + "\n"), 1u) << "message " << 1000 + i;
  // Between them the instances committed each message once.
  auto finished = [](const BotProcess& bot) { return std::stoi(bot_metric(bot.port(), "permit_held_finished_total")); };
  EXPECT_EQ(finished(a) + finished(b), 2 * kStudents);
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

TEST(HeldMessages, EffectsLeftByAnInstanceThatDiedAfterTheCommitAreApplied) {
  RedisServer redis;
  {
    // Committed a message with an effect (a question nobody answered),
    // writing the student's entry first as the pipeline does, and died
    // before applying it.
    Instance dead(redis);
    dialogs::Effect question;
    question.kind = dialogs::Effect::Kind::record_unanswered;
    question.university = "cqupt";
    question.lang = "en";
    question.text = "can my cat stay in the dorm";
    auto expected = dead.runner.run([&]() -> asio::awaitable<boost::system::result<void>> {
      co_return co_await dead.inbox->expect("stu_effects", unix_now() * 1000, 0);
    }());
    ASSERT_TRUE(expected);
    EXPECT_EQ(dead.commit(text_message("stu_effects", 80, question.text), 0, "noted",
                          core::EffectOutbox::serialise({question})),
              core::CommitResult::Status::committed);
  }
  EXPECT_EQ(redis.command({"LLEN", "{u:stu_effects}:outbox"}), "1");
  BotProcess bot(redis.url());
  ASSERT_TRUE(eventually([&] {
    return redis.command({"XRANGE", core::EffectOutbox::kUnanswered, "-", "+"}).find("can my cat") != std::string::npos;
  })) << bot.log();
  // Applied first, then removed from the outbox.
  EXPECT_TRUE(eventually([&] { return redis.command({"LLEN", "{u:stu_effects}:outbox"}) == "0"; }));
  EXPECT_TRUE(eventually([&] { return redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_effects"}) == "(nil)"; }));
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

// A drain that applied an entry but died before removing it leaves the
// entry for the next drain: an unanswered question is still recorded once.
TEST(HeldMessages, AnEffectAppliedTwiceIsRecordedOnce) {
  RedisServer redis;
  Instance instance(redis);
  core::Metrics metrics;
  core::EffectOutbox effects(*instance.client, metrics);
  dialogs::Effect question;
  question.kind = dialogs::Effect::Kind::record_unanswered;
  question.university = "cqupt";
  question.lang = "en";
  question.text = "may I keep a parrot";
  const std::string entry = core::EffectOutbox::serialise({question}, "m:90").front();
  auto drain = [&] {
    auto drained = instance.runner.run(effects.drain("stu_twice", unix_now()));
    EXPECT_TRUE(drained) << drained.error().message();
  };
  redis.command({"RPUSH", "{u:stu_twice}:outbox", entry});
  drain();
  EXPECT_EQ(redis.command({"XLEN", core::EffectOutbox::kUnanswered}), "1");
  // The same entry again, as if the first drain had not removed it.
  redis.command({"RPUSH", "{u:stu_twice}:outbox", entry});
  drain();
  EXPECT_EQ(redis.command({"XLEN", core::EffectOutbox::kUnanswered}), "1");
  EXPECT_EQ(redis.command({"LLEN", "{u:stu_twice}:outbox"}), "0");
  // Another message's question is another entry.
  redis.command({"RPUSH", "{u:stu_twice}:outbox", core::EffectOutbox::serialise({question}, "m:91").front()});
  drain();
  EXPECT_EQ(redis.command({"XLEN", core::EffectOutbox::kUnanswered}), "2");
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));  // the markers included
  EXPECT_EQ(metric_value(metrics.render({}), "permit_effects_unreadable_total"), "0");

  // An entry that cannot be applied is dropped, counted, and does not stop
  // the entries after it.
  redis.command({"RPUSH", "{u:stu_twice}:outbox", "{not json", R"({"kind":"teleport"})",
                 core::EffectOutbox::serialise({question}, "m:92").front()});
  drain();
  EXPECT_EQ(redis.command({"LLEN", "{u:stu_twice}:outbox"}), "0");
  EXPECT_EQ(redis.command({"XLEN", core::EffectOutbox::kUnanswered}), "3");
  EXPECT_EQ(metric_value(metrics.render({}), "permit_effects_unreadable_total"), "2");
}

TEST(HeldMessages, AMessageWithEffectsPutsTheStudentInTheSweepIndex) {
  RedisServer redis;
  BotProcess bot(redis.url());
  WechatClient client(bot.port());
  auto chosen = client.send_text("stu_asks", 1, "cqupt");
  ASSERT_NE(chosen.content.find("University: CQUPT"), std::string::npos) << chosen.content;
  ASSERT_EQ(chosen.content.find("could not find"), std::string::npos) << chosen.content;
  // No effect: no entry.
  EXPECT_EQ(redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_asks"}), "(nil)");
  // A question the pages do not answer is recorded for the admins: an
  // effect, applied after the commit, so the student gets an entry.
  auto reply = client.send_text("stu_asks", 2, "can my cat stay in the dorm");
  ASSERT_NE(reply.content.find("does not mention \u201cdorm\u201d"), std::string::npos) << reply.content;
  EXPECT_NE(redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_asks"}), "(nil)");
}

TEST(HeldMessages, AnUnreadableHeldEntryIsDroppedAndTheRestFinished) {
  RedisServer redis;
  {
    Instance dead(redis);
    EXPECT_EQ(dead.hold(text_message("stu_mixed", 75, "cqupt")), core::HoldResult::held);
  }
  redis.command({"HSET", "{u:stu_mixed}:inbox", "m:76", "{not json"});
  BotProcess bot(redis.url());
  ASSERT_TRUE(eventually([&] { return redis.command({"ZSCORE", core::Inbox::kSweepDue, "stu_mixed"}) == "(nil)"; }))
      << bot.log();
  EXPECT_EQ(redis.command({"HGET", "{u:stu_mixed}:conv", "v"}), "1");
  EXPECT_EQ(redis.command({"EXISTS", "{u:stu_mixed}:inbox"}), "0");
  EXPECT_NE(bot.log().find("m:76 of stu_mixed is unreadable"), std::string::npos) << bot.log();
}

}  // namespace
}  // namespace permit::testing
