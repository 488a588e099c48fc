// The rules of changing the scripts, called as the admin API calls them but
// without HTTP: each refusal says which rule, with what it needs to be
// shown, and changes nothing; a publish and a rollback make releases, are
// audited, and are served at once.

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/scripts/script_publisher.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/redis_server.hpp"

#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include <memory>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const std::string kScripts = std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts";

std::string shipped(const std::string& name) {
  auto read = dialogs::read_script_files(kScripts);
  return read.files.at(name);
}

// Replaces the one occurrence of `from`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// The photo step reworded: still valid, and every transcript still passes.
std::string cqupt_reworded() {
  return replaced(shipped("cqupt.json"), "\"Get one recent passport-sized photo", "\"REV2 Get one recent passport-sized photo");
}

class ScriptPublisherTest : public ::testing::Test {
 protected:
  ScriptPublisherTest() {
    options.port = server.port();
    client = std::make_unique<redis::Client>(runner.executor(), options);
    client->start();
    EXPECT_TRUE(eventually([&] { return client->connected(); }, 5s));
    auto read = dialogs::read_script_files(kScripts);
    auto loaded = dialogs::load_scripts(read);
    EXPECT_TRUE(loaded.scripts.has_value());
    auto from_files = std::make_shared<const dialogs::Engine>(std::move(*loaded.scripts));
    registry = std::make_unique<core::ScriptRegistry>(runner.executor(), work.get_executor(), *client, options,
                                                      std::move(read.files), std::move(read.schema), from_files);
    registry->start();
    // The empty store is seeded from the files as release 1.
    EXPECT_TRUE(eventually([&] { return registry->snapshot()->current() == 1; }));
    audit = std::make_unique<core::AuditLog>(*client);
    publisher = std::make_unique<core::ScriptPublisher>(*registry, *audit);
  }

  ~ScriptPublisherTest() override {
    runner.run(registry->stop());
    runner.run(client->close(500ms));
    runner.stop();
    work.join();
  }

  template <class T>
  T run(asio::awaitable<T> task) {
    return runner.run(std::move(task));
  }

  core::ScriptResult<core::Published> publish(const std::string& message, std::int64_t base = 0,
                                              const std::string& migrate_json = "") {
    core::PublishRequest request{base, message, migrate_json};
    return run(publisher->publish(ada, std::move(request)));
  }

  std::string audit_length() const { return server.command({"XLEN", keys::kAuditLog}); }

  RedisServer server;
  AsyncRunner runner{2};
  asio::thread_pool work{1};
  redis::Options options;
  std::unique_ptr<redis::Client> client;
  std::unique_ptr<core::ScriptRegistry> registry;
  std::unique_ptr<core::AuditLog> audit;
  std::unique_ptr<core::ScriptPublisher> publisher;
  const core::Editor ada{"ada", "admin"};
};

TEST_F(ScriptPublisherTest, AnInvalidFileIsRefusedWithItsPointerAndIsNotSaved) {
  const std::string broken = replaced(shipped("cqupt.json"), "\"aliases\"", "\"aliasez\"");
  auto checked = run(publisher->save_draft(ada, "cqupt.json", broken));
  ASSERT_FALSE(checked);
  const core::ScriptRefusal refusal = checked.error();
  const auto* invalid = std::get_if<core::ScriptsInvalid>(&refusal);
  ASSERT_NE(invalid, nullptr) << refusal.index();
  EXPECT_EQ(invalid->why, core::ScriptsInvalid::Why::scripts_invalid);
  ASSERT_FALSE(invalid->errors.empty());
  EXPECT_EQ(invalid->errors[0].file, "cqupt.json");
  EXPECT_EQ(invalid->errors[0].pointer, "/aliasez");
  // Nothing was drafted, so there is nothing to publish.
  auto published = publish("nothing");
  ASSERT_FALSE(published);
  EXPECT_TRUE(std::holds_alternative<core::DraftEmpty>(published.error()));
  EXPECT_EQ(audit_length(), "0");
}

TEST_F(ScriptPublisherTest, ATranscriptFileThatCannotBeReadIsRefusedAtItsLine) {
  auto checked = run(publisher->check_draft(ada, "cqupt.txt", "=== a\n> hi\n? what\n"));
  ASSERT_FALSE(checked);
  const core::ScriptRefusal refusal = checked.error();
  const auto* invalid = std::get_if<core::ScriptsInvalid>(&refusal);
  ASSERT_NE(invalid, nullptr) << refusal.index();
  EXPECT_EQ(invalid->why, core::ScriptsInvalid::Why::transcripts_unreadable);
  ASSERT_FALSE(invalid->errors.empty());
  EXPECT_EQ(invalid->errors[0].line, 3);
}

TEST_F(ScriptPublisherTest, APublishOnAStaleBaseIsRefusedWithTheCurrentRelease) {
  auto saved = run(publisher->save_draft(ada, "cqupt.json", cqupt_reworded()));
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->base, 1);
  auto published = publish("reworded", 7);
  ASSERT_FALSE(published);
  const core::ScriptRefusal refusal = published.error();
  const auto* stale = std::get_if<core::StaleBase>(&refusal);
  ASSERT_NE(stale, nullptr) << refusal.index();
  EXPECT_EQ(stale->base, 7);
  EXPECT_EQ(stale->current, 1);
  EXPECT_EQ(server.command({"GET", keys::kScriptsCurrent}), "1");
}

TEST_F(ScriptPublisherTest, AMigrationToAnUnknownUniversityIsRefused) {
  ASSERT_TRUE(run(publisher->save_draft(ada, "cqupt.json", cqupt_reworded())));
  auto published = publish("reworded", 1, R"({"atlantis":{"a":"b"}})");
  ASSERT_FALSE(published);
  const core::ScriptRefusal refusal = published.error();
  const auto* unknown = std::get_if<core::UnknownUniversity>(&refusal);
  ASSERT_NE(unknown, nullptr) << refusal.index();
  EXPECT_EQ(unknown->university, "atlantis");
  EXPECT_EQ(server.command({"GET", keys::kScriptsCurrent}), "1");
}

TEST_F(ScriptPublisherTest, APublishMakesTheNextReleaseServesItAndARollbackRestoresTheFirst) {
  ASSERT_TRUE(run(publisher->save_draft(ada, "cqupt.json", cqupt_reworded())));
  auto published = publish("photo step wording");
  ASSERT_TRUE(published) << published.error().index();
  EXPECT_EQ(published->release, 2);
  EXPECT_EQ(published->base, 1);
  EXPECT_EQ(published->files, std::vector<std::string>{"cqupt.json"});
  EXPECT_GT(published->transcripts, 0u);
  EXPECT_EQ(registry->snapshot()->current(), 2) << "served here at once";

  core::RollbackRequest missing{99, 0, ""};
  auto refused = run(publisher->rollback(ada, missing));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(std::holds_alternative<core::NoSuchRelease>(refused.error()));

  core::RollbackRequest back{1, 0, ""};
  auto rolled = run(publisher->rollback(ada, back));
  ASSERT_TRUE(rolled) << rolled.error().index();
  EXPECT_EQ(rolled->release, 3);
  EXPECT_EQ(rolled->rolled_back_to, 1);
  auto files = run(registry->store().files(3));
  ASSERT_TRUE(files && *files);
  EXPECT_EQ((*files)->at("cqupt.json"), shipped("cqupt.json"));
  auto history = run(registry->store().history());
  ASSERT_TRUE(history);
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->front().message, "rolled back to release 1") << "the default message";
  // The draft, the publish and the rollback; not the refusal.
  EXPECT_EQ(audit_length(), "3");
}

}  // namespace
}  // namespace permit::testing
