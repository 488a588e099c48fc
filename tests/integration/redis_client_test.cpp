// The Redis client against a real redis-server: replies, pipelining,
// EVALSHA and FCALL fallbacks, AUTH/SELECT, timeouts, failing fast and reconnecting.

#include "bot/redis/redis_client.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <boost/asio/experimental/awaitable_operators.hpp>

#include <chrono>
#include <future>
#include <thread>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

redis::Options options_for(const RedisServer& server, std::string password = "", int db = 0) {
  redis::Options options;
  options.port = server.port();
  options.password = std::move(password);
  options.db = db;
  return options;
}

// Waits (bounded) for the client's first connection; the connect is async.
bool wait_connected(redis::Client& client, std::chrono::milliseconds limit = 5s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!client.connected()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

redis::Result exec(AsyncRunner& runner, redis::Client& client, std::vector<std::string> args) {
  return runner.run([&client, args = std::move(args)]() mutable -> asio::awaitable<redis::Result> {
    co_return co_await client.exec(std::move(args));
  }());
}

// Starts `count` INCRs of "counter" at once, each a coroutine of its own
// on the runner; the futures hold their results.
std::vector<std::future<redis::Result>> spawn_increments(AsyncRunner& runner, redis::Client& client, int count) {
  std::vector<std::future<redis::Result>> futures;
  for (int i = 0; i < count; ++i) {
    futures.push_back(asio::co_spawn(
        runner.context(),
        [&client]() -> asio::awaitable<redis::Result> {
          std::vector<std::string> cmd{"INCR", "counter"};
          co_return co_await client.exec(std::move(cmd));
        },
        asio::use_future));
  }
  return futures;
}

struct RedisClientTest : ::testing::Test {
  RedisServer server;
  AsyncRunner runner;
  std::unique_ptr<redis::Client> client;

  void SetUp() override {
    client = std::make_unique<redis::Client>(runner.executor(), options_for(server));
    client->start();
    ASSERT_TRUE(wait_connected(*client));
  }
  void TearDown() override {
    runner.run(client->close(500ms));
    runner.stop();
    client.reset();
  }
};

TEST_F(RedisClientTest, ReturnsEachReplyType) {
  auto set = exec(runner, *client, {"SET", "k", "v"});
  ASSERT_TRUE(set);
  EXPECT_EQ(set->type, redis::Value::Type::status);
  EXPECT_EQ(set->str, "OK");
  auto get = exec(runner, *client, {"GET", "k"});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->type, redis::Value::Type::string);
  EXPECT_EQ(get->str, "v");
  auto missing = exec(runner, *client, {"GET", "nope"});
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->is_nil());
  auto incr = exec(runner, *client, {"INCRBY", "n", "41"});
  ASSERT_TRUE(incr);
  EXPECT_EQ(incr->integer, 41);
  auto list = exec(runner, *client, {"RPUSH", "l", "a", "b"});
  auto range = exec(runner, *client, {"LRANGE", "l", "0", "-1"});
  ASSERT_TRUE(range);
  ASSERT_TRUE(range->is_array());
  ASSERT_EQ(range->elements.size(), 2u);
  EXPECT_EQ(range->elements[1].str, "b");
  auto wrong = exec(runner, *client, {"INCR", "k"});
  ASSERT_TRUE(wrong);  // an error reply is a value, not a transport failure
  EXPECT_TRUE(wrong->is_error());
}

TEST_F(RedisClientTest, BinarySafeArguments) {
  std::string blob("a\0b\r\n\xff", 6);
  ASSERT_TRUE(exec(runner, *client, {"SET", "bin", blob}));
  auto got = exec(runner, *client, {"GET", "bin"});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->str, blob);
}

TEST_F(RedisClientTest, ManyConcurrentCommandsAllComplete) {
  constexpr int kCommands = 2000;
  for (auto& f : spawn_increments(runner, *client, kCommands)) ASSERT_TRUE(f.get());
  EXPECT_EQ(server.command({"GET", "counter"}), std::to_string(kCommands));
}

TEST_F(RedisClientTest, EvalShaFallsBackWhenServerForgotTheScript) {
  redis::LuaScript script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto run_script = [&] {
    return runner.run([&]() -> asio::awaitable<redis::Result> {
      std::vector<std::string> keys{"s"}, args{"5"};
      co_return co_await client->eval(script, std::move(keys), std::move(args));
    }());
  };
  auto first = run_script();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->integer, 5);
  ASSERT_EQ(server.command({"SCRIPT", "FLUSH"}), "OK");
  auto second = run_script();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->integer, 10);
  EXPECT_EQ(server.command({"SCRIPT", "EXISTS", script.sha1()}), "1");
}

// A function whose prelude (run once, at FUNCTION LOAD) defines the helper
// its body calls.
const redis::LuaFunction& add_function() {
  static const redis::LuaFunction function("test_add", "local function add(key, n) return redis.call('INCRBY', key, n) end",
                                           "return add(KEYS[1], ARGV[1])");
  return function;
}

redis::Result run_fcall(AsyncRunner& runner, redis::Client& client, std::string key, std::string n) {
  return runner.run([&client, key = std::move(key), n = std::move(n)]() -> asio::awaitable<redis::Result> {
    std::vector<std::string> keys{key}, args{n};
    co_return co_await client.fcall(add_function(), std::move(keys), std::move(args));
  }());
}

TEST_F(RedisClientTest, FcallLoadsTheLibraryWhenServerLacksIt) {
  // A fresh server has no function: the first call loads the library.
  auto first = run_fcall(runner, *client, "f", "5");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->integer, 5);
  EXPECT_NE(server.command({"FUNCTION", "LIST", "LIBRARYNAME", add_function().name()}).find(add_function().name()),
            std::string::npos);
  // Gone (as after a failover to a node that never had it): loaded again.
  ASSERT_EQ(server.command({"FUNCTION", "FLUSH"}), "OK");
  auto second = run_fcall(runner, *client, "f", "5");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->integer, 10);
  // Loading is part of the protocol, not an error.
  EXPECT_EQ(client->error_count(), 0u);
}

TEST_F(RedisClientTest, FcallsThatAllFindTheFunctionMissingAllComplete) {
  // Each of them loads the library; all but one are told it already exists.
  constexpr int kCalls = 20;
  std::vector<std::future<redis::Result>> calls;
  for (int i = 0; i < kCalls; ++i) {
    calls.push_back(asio::co_spawn(
        runner.context(),
        [this]() -> asio::awaitable<redis::Result> {
          std::vector<std::string> keys{"g"}, args{"1"};
          co_return co_await client->fcall(add_function(), std::move(keys), std::move(args));
        },
        asio::use_future));
  }
  for (auto& call : calls) {
    auto result = call.get();
    ASSERT_TRUE(result);
    EXPECT_FALSE(result->is_error()) << result->str;
  }
  EXPECT_EQ(server.command({"GET", "g"}), std::to_string(kCalls));
  EXPECT_EQ(client->error_count(), 0u);
}

TEST_F(RedisClientTest, FcallReturnsTheFunctionsErrors) {
  ASSERT_TRUE(exec(runner, *client, {"SET", "s", "not a number"}));
  auto failed = run_fcall(runner, *client, "s", "1");
  ASSERT_TRUE(failed);  // an error reply is a value, not a transport failure
  EXPECT_TRUE(failed->is_error());
  EXPECT_EQ(client->error_count(), 1u);
}

TEST_F(RedisClientTest, FailsFastWhileServerIsDownAndReconnectsWhenItReturns) {
  server.kill();
  // The first command after the kill may find the dead socket; the next ones
  // must fail fast without waiting for a timeout.
  exec(runner, *client, {"PING"});
  auto started = std::chrono::steady_clock::now();
  auto failed = exec(runner, *client, {"PING"});
  ASSERT_FALSE(failed);
  EXPECT_TRUE(failed.error() == redis::Error::not_connected || failed.error() == redis::Error::connection_lost)
      << failed.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);

  server.start();
  auto restarted = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_connected(*client, 1500ms)) << "no reconnect within the backoff cap";
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, 1s);
  auto pong = exec(runner, *client, {"PING"});
  ASSERT_TRUE(pong);
  EXPECT_EQ(pong->str, "PONG");
}

TEST_F(RedisClientTest, CommandTimesOutOnAStalledServer) {
  using namespace asio::experimental::awaitable_operators;
  // Both go down the same pipelined connection in this order, so the PING
  // is certainly stuck behind the sleep.
  auto started = std::chrono::steady_clock::now();
  auto [sleep_result, ping_result] = runner.run([&]() -> asio::awaitable<std::tuple<redis::Result, redis::Result>> {
    std::vector<std::string> sleep{"DEBUG", "SLEEP", "1.5"}, ping{"PING"};
    co_return co_await (client->exec(std::move(sleep)) && client->exec(std::move(ping)));
  }());
  auto elapsed = std::chrono::steady_clock::now() - started;
  // Neither hangs: each fails by its own timeout, or because the stuck
  // connection was dropped when the other one timed out.
  for (const auto* r : {&sleep_result, &ping_result}) {
    ASSERT_FALSE(*r);
    EXPECT_TRUE(r->error() == redis::Error::timeout || r->error() == redis::Error::connection_lost)
        << r->error().message();
  }
  EXPECT_LT(elapsed, 1400ms);
  EXPECT_GT(client->error_count(), 0u);
  // The stuck connection is replaced; the client recovers by itself.
  EXPECT_TRUE(wait_connected(*client, 3s));
}

// How many times the server has read from a client socket so far.
long reads_processed(const RedisServer& server) {
  const std::string stats = server.command({"INFO", "stats"});
  const std::string field = "total_reads_processed:";
  auto at = stats.find(field);
  return at == std::string::npos ? -1 : std::stol(stats.substr(at + field.size()));
}

TEST(RedisClientPipelining, CommandsSubmittedTogetherReachTheServerTogether) {
  RedisServer server;
  // One thread, held at a gate while every command is handed to it: none
  // starts before all are queued, so all are submitted in one go.
  AsyncRunner runner(1);
  redis::Client client(runner.executor(), options_for(server));
  client.start();
  ASSERT_TRUE(wait_connected(client));
  std::promise<void> gate;
  asio::post(runner.context(), [opened = gate.get_future()] { opened.wait(); });
  constexpr int kCommands = 200;
  auto replies = spawn_increments(runner, client, kCommands);
  const long before = reads_processed(server);
  ASSERT_GE(before, 0) << server.command({"INFO", "stats"});
  gate.set_value();
  for (auto& reply : replies) ASSERT_TRUE(reply.get());
  const long reads = reads_processed(server) - before;
  EXPECT_EQ(server.command({"GET", "counter"}), std::to_string(kCommands));
  // A client that waited for each reply before sending the next command
  // would make the server read at least once per command. Pipelined, the
  // burst arrives in a read or two; the rest of the margin is for the
  // connections that ask INFO.
  EXPECT_LT(reads, kCommands / 10) << "the server read " << reads << " times for " << kCommands << " commands";
  runner.run(client.close(500ms));
}

TEST(RedisClientAuth, AuthenticatesAndSelectsAfterEveryConnect) {
  RedisServer server(RedisServer::Options{.durability = RedisServer::Durability::memory_only, .password = "s3cret"});
  AsyncRunner runner;
  redis::Client client(runner.executor(), options_for(server, "s3cret", 3));
  client.start();
  ASSERT_TRUE(wait_connected(client));
  ASSERT_TRUE(exec(runner, client, {"SET", "where", "db3"}));
  server.kill();
  server.start();
  ASSERT_TRUE(wait_connected(client));
  // After the reconnect the client is authenticated and on database 3 again.
  auto info = exec(runner, client, {"CLIENT", "INFO"});
  ASSERT_TRUE(info);
  EXPECT_NE(info->str.find(" db=3 "), std::string::npos) << info->str;
  runner.run(client.close(500ms));
}

TEST(RedisClientAuth, WrongPasswordNeverReportsConnected) {
  RedisServer server(RedisServer::Options{.durability = RedisServer::Durability::memory_only, .password = "right"});
  AsyncRunner runner;
  redis::Client client(runner.executor(), options_for(server, "wrong"));
  client.start();
  EXPECT_FALSE(wait_connected(client, 300ms));
  auto result = exec(runner, client, {"PING"});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), redis::Error::not_connected);
  runner.run(client.close(500ms));
}

}  // namespace
}  // namespace permit::testing
