// InboundPipeline on the bot's own store, against a real redis-server, with a
// dialog the test controls: how often the dialog runs for one message.

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/effect_outbox.hpp"
#include "bot/inbound/inbound_pipeline.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/redis/redis_client.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/wechat_client.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Counts its runs; the first one waits until the test opens the gate, so a
// retry can arrive while the first attempt is still in the dialog.
class GatedDialog : public core::DialogSource {
 public:
  explicit GatedDialog(asio::any_io_executor executor) : gate_(executor, asio::steady_timer::time_point::max()) {}

  asio::awaitable<dialogs::Outcome> respond(std::string_view state, const dialogs::StudentState*,
                                            const dialogs::Inbound& message, std::chrono::system_clock::time_point) override {
    const int run = ++runs_;
    if (run == 1) co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
    dialogs::Outcome outcome;
    outcome.state = std::string(state) + "+";
    outcome.replies.push_back("run " + std::to_string(run) + ": " + message.text);
    co_return outcome;
  }
  dialogs::Outcome keep(std::string_view state, const dialogs::Inbound&, std::string why) override {
    dialogs::Outcome outcome;
    outcome.state = std::string(state);
    outcome.replies.push_back("sorry");
    outcome.kept = std::move(why);
    return outcome;
  }

  void open() {
    asio::post(gate_.get_executor(), [this] { gate_.cancel(); });
  }
  int runs() const { return runs_.load(); }

 private:
  std::atomic<int> runs_{0};
  asio::steady_timer gate_;
};

// The bot's store, inbox and outbox on a real Redis, for one pipeline.
struct Storage {
  Storage() { EXPECT_TRUE(eventually([&] { return client->connected(); }, 5s)); }
  static std::unique_ptr<redis::Client> connect(const RedisServer& server, AsyncRunner& runner) {
    redis::Options options;
    options.port = server.port();
    auto client = std::make_unique<redis::Client>(runner.executor(), options);
    client->start();
    return client;
  }
  RedisServer server;
  AsyncRunner runner;
  std::unique_ptr<redis::Client> client = connect(server, runner);
  core::ConversationStore store{*client, core::StoreOptions{}};
  core::Inbox inbox{*client};
  core::Metrics metrics;
  core::EffectOutbox effects{*client, metrics};

  // One instance's pipeline on this storage, answering with `dialog`.
  std::unique_ptr<core::InboundPipeline> pipeline(core::DialogSource& dialog, core::PipelineOptions options = {}) {
    return std::make_unique<core::InboundPipeline>(runner.executor(), store, dialog, inbox, effects, metrics, options);
  }
};

TEST(InboundPipeline, ARetryThatWaitedForItsFirstAttemptIsAnsweredWithoutRunningTheDialogAgain) {
  Storage storage;
  auto& [server, runner, client_ptr, store, inbox, metrics, effects] = storage;
  redis::Client& client = *client_ptr;
  GatedDialog dialog(runner.executor());
  core::PipelineOptions pipeline_options;
  pipeline_options.reply_budget = 30s;  // the answer waits for the commit, however long the test holds it
  auto pipeline_ptr = storage.pipeline(dialog, pipeline_options);
  core::InboundPipeline& pipeline = *pipeline_ptr;

  const auto message = text_message("stu_retry", 424242, "hello");
  auto answer = [&] {
    return asio::co_spawn(runner.executor(), pipeline.handle(message, std::chrono::steady_clock::now()),
                          asio::use_future);
  };
  auto first = answer();
  ASSERT_TRUE(eventually([&] { return dialog.runs() == 1; }, 5s));
  // The platform's retry, while the first attempt is still in the dialog.
  auto retry = answer();
  EXPECT_EQ(retry.wait_for(200ms), std::future_status::timeout) << "the retry did not wait for its first attempt";
  dialog.open();

  auto first_answer = first.get();
  auto retry_answer = retry.get();
  ASSERT_TRUE(first_answer) << first_answer.error().message();
  ASSERT_TRUE(retry_answer) << retry_answer.error().message();
  EXPECT_EQ(first_answer->text, "run 1: hello");
  EXPECT_EQ(retry_answer->text, first_answer->text);
  EXPECT_EQ(dialog.runs(), 1) << "the dialog ran again for the retry";
  EXPECT_EQ(metric_value(metrics.render({}), "permit_dedupe_hits_total"), "1");

  // Committed once: version 1, and the state the one run made.
  // (A named lambda: the coroutine frame refers to it until it finishes.)
  auto read_row = [&]() -> asio::awaitable<boost::system::result<redis::Value>> {
    std::vector<std::string> command{"HMGET", core::conversation_key("stu_retry"), "v", "s"};
    co_return co_await client.exec(std::move(command));
  };
  auto row = runner.run(read_row());
  ASSERT_TRUE(row) << row.error().message();
  ASSERT_EQ(row->elements.size(), 2u);
  EXPECT_EQ(row->elements[0].str, "1");
  EXPECT_EQ(row->elements[1].str, "+");

  // A new message still runs the dialog.
  auto next = asio::co_spawn(runner.executor(),
                             pipeline.handle(text_message("stu_retry", 424243, "next"), std::chrono::steady_clock::now()),
                             asio::use_future)
                  .get();
  ASSERT_TRUE(next) << next.error().message();
  EXPECT_EQ(next->text, "run 2: next");
  EXPECT_EQ(dialog.runs(), 2);

  EXPECT_TRUE(every_key_has_a_hash_tag(server));
  runner.run(pipeline.drain(std::chrono::steady_clock::now() + 5s));
  runner.run(client.close(500ms));
}

// A dialog that throws on its second message.
class FailingDialog : public core::DialogSource {
 public:
  asio::awaitable<dialogs::Outcome> respond(std::string_view state, const dialogs::StudentState*,
                                            const dialogs::Inbound& message, std::chrono::system_clock::time_point) override {
    if (message.text == "boom") throw std::runtime_error("the engine broke");
    dialogs::Outcome outcome;
    outcome.state = std::string(state) + "progress;";
    outcome.replies.push_back("ok: " + message.text);
    co_return outcome;
  }
  dialogs::Outcome keep(std::string_view state, const dialogs::Inbound&, std::string why) override {
    dialogs::Outcome outcome;
    outcome.state = std::string(state);
    outcome.replies.push_back("sorry (" + why + ")");
    outcome.kept = std::move(why);
    return outcome;
  }
};

// A text message from `openid`, handled by `pipeline` now; its answer.
boost::system::result<core::Answer> send(AsyncRunner& runner, core::InboundPipeline& pipeline, const char* openid,
                                         int id, const char* text) {
  return asio::co_spawn(runner.executor(),
                        pipeline.handle(text_message(openid, id, text), std::chrono::steady_clock::now()),
                        asio::use_future)
      .get();
}

TEST(InboundPipeline, ADialogThatThrowsKeepsTheStudentsProgressApologisesAndCountsIt) {
  Storage storage;
  auto& [server, runner, client_ptr, store, inbox, metrics, effects] = storage;
  redis::Client& client = *client_ptr;
  FailingDialog dialog;
  auto pipeline = storage.pipeline(dialog);
  auto send_boom = [&](int id, const char* text) { return send(runner, *pipeline, "stu_boom", id, text); };
  auto first = send_boom(1, "hello");
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->text, "ok: hello");
  auto broken = send_boom(2, "boom");
  ASSERT_TRUE(broken) << broken.error().message();
  EXPECT_EQ(broken->text, "sorry (failed)");
  // The message is committed (a retry gets the same apology), the state is
  // the one before it, not a fresh one.
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_boom"), "s"}), "progress;");
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_boom"), "v"}), "2");
  auto retry = send_boom(2, "boom");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->text, "sorry (failed)");
  EXPECT_EQ(metric_value(metrics.render({}), "permit_dialog_state_kept_total{reason=\"failed\"}"), "1");
  EXPECT_EQ(metric_value(metrics.render({}), "permit_dialog_state_kept_total{reason=\"unreadable\"}"), "0");
  // The next message goes on from the kept progress.
  auto next = send_boom(3, "again");
  ASSERT_TRUE(next);
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_boom"), "s"}), "progress;progress;");
  runner.run(pipeline->drain(std::chrono::steady_clock::now() + 5s));
  runner.run(client.close(500ms));
}

// The webhook commits a message itself, tried once; when another instance
// moved the student's state on since this one cached it, the commit gives
// way to the full one in the background, which reads the state again: the
// message is answered, committed once, on top of the other instance's.
TEST(InboundPipeline, AMessageWhoseStateAnotherInstanceMovedOnIsCommittedOnTopOfIt) {
  Storage storage;
  auto& [server, runner, client_ptr, store, inbox, metrics, effects] = storage;
  redis::Client& client = *client_ptr;
  FailingDialog dialog;
  auto here_ptr = storage.pipeline(dialog), there_ptr = storage.pipeline(dialog);
  core::InboundPipeline &here = *here_ptr, &there = *there_ptr;
  auto send_moved = [&](core::InboundPipeline& pipeline, int id, const char* text) {
    return send(runner, pipeline, "stu_moved", id, text);
  };
  ASSERT_TRUE(send_moved(here, 1, "one"));
  ASSERT_TRUE(send_moved(there, 2, "two"));
  auto third = send_moved(here, 3, "three");  // `here` has version 1 in its cache
  ASSERT_TRUE(third) << third.error().message();
  EXPECT_EQ(third->text, "ok: three");
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_moved"), "v"}), "3");
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_moved"), "s"}), "progress;progress;progress;");
  // A retry, at either instance, is answered as the first attempt was.
  auto retry = send_moved(there, 3, "three");
  ASSERT_TRUE(retry);
  EXPECT_EQ(retry->text, "ok: three");
  EXPECT_EQ(server.command({"HGET", core::conversation_key("stu_moved"), "v"}), "3");
  runner.run(here.drain(std::chrono::steady_clock::now() + 5s));
  runner.run(there.drain(std::chrono::steady_clock::now() + 5s));
  runner.run(client.close(500ms));
}

}  // namespace
}  // namespace permit::testing
