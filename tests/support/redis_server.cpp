#include "tests/support/redis_server.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace permit::testing {
namespace {

std::string render(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return std::string(r->str, r->len);
    case REDIS_REPLY_ERROR:
      return "ERR:" + std::string(r->str, r->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(r->integer);
    case REDIS_REPLY_ARRAY: {
      std::string out;
      for (std::size_t i = 0; i < r->elements; ++i) {
        if (i) out += '\n';
        out += render(r->element[i]);
      }
      return out;
    }
    default:
      return "(nil)";
  }
}

// A blocking connection for assertions, authenticated; empty if the server
// cannot be reached.
using Connection = std::unique_ptr<redisContext, decltype(&redisFree)>;
using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

Connection connect_to(std::uint16_t port, const std::string& password) {
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port, timeval{1, 0});
  if (ctx == nullptr || ctx->err) {
    if (ctx) redisFree(ctx);
    return Connection(nullptr, &redisFree);
  }
  redisSetTimeout(ctx, timeval{5, 0});
  if (!password.empty()) {
    auto* auth = static_cast<redisReply*>(redisCommand(ctx, "AUTH %s", password.c_str()));
    if (auth) freeReplyObject(auth);
  }
  return Connection(ctx, &redisFree);
}

// The reply, or an exception naming what was asked if there is none or it
// is an error.
Reply expect_reply(void* reply, const std::string& asked) {
  Reply r(static_cast<redisReply*>(reply), &freeReplyObject);
  if (!r) throw std::runtime_error(asked + ": no reply");
  if (r->type == REDIS_REPLY_ERROR) throw std::runtime_error(asked + ": " + render(r.get()));
  return r;
}

std::string command_at(std::uint16_t port, const std::string& password, const std::vector<std::string>& args) {
  Connection ctx = connect_to(port, password);
  if (!ctx) return "ERR:connect";
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  Reply reply(static_cast<redisReply*>(
                  redisCommandArgv(ctx.get(), static_cast<int>(argv.size()), argv.data(), lens.data())),
              &freeReplyObject);
  return reply ? render(reply.get()) : "ERR:io";
}

}  // namespace

RedisServer::RedisServer(Options options) : options_(std::move(options)), port_(free_port()) {
  char tmpl[] = "/tmp/permit-redis-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  // A port found free may be taken by another test's server before this one
  // binds it (they run in parallel): that server exits at once, and another
  // port is tried.
  for (int attempt = 1; !launch(); ++attempt) {
    if (attempt == 5) throw std::runtime_error("redis-server did not start (see " + dir_ + "/redis.log)");
    port_ = free_port();
  }
}

RedisServer::~RedisServer() {
  stop();
  // PERMIT_KEEP_REDIS_DIR=1 keeps the data and log for a post-mortem.
  if (std::getenv("PERMIT_KEEP_REDIS_DIR") != nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string RedisServer::url() const {
  std::string auth = options_.password.empty() ? "" : ":" + options_.password + "@";
  return "redis://" + auth + "127.0.0.1:" + std::to_string(port_);
}

bool RedisServer::launch() {
  std::vector<std::string> argv = {"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1",
                                   "--dir", dir_, "--save", "", "--daemonize", "no", "--enable-debug-command", "local", "--logfile",
                                   dir_ + "/redis.log"};
  switch (options_.durability) {
    case Durability::memory_only:
      argv.insert(argv.end(), {"--appendonly", "no"});
      break;
    case Durability::aof_everysec:
      argv.insert(argv.end(), {"--appendonly", "yes", "--appendfsync", "everysec"});
      break;
    case Durability::aof_always:
      argv.insert(argv.end(), {"--appendonly", "yes", "--appendfsync", "always"});
      break;
  }
  if (!options_.password.empty()) argv.insert(argv.end(), {"--requirepass", options_.password});
  if (options_.replica_of != 0) argv.insert(argv.end(), {"--replicaof", "127.0.0.1", std::to_string(options_.replica_of)});
  process_ = ChildProcess(argv, false);

  // Poll until it answers: the server is ready when PING says so.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    // Ours, not a server some other test started on this port.
    std::string info = command({"INFO", "server"});
    if (info.find("process_id:" + std::to_string(process_.pid()) + "\r") != std::string::npos) return true;
    if (process_.ended()) return false;  // it could not bind the port, most likely
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) + " (see " + dir_ +
                           "/redis.log)");
}

void RedisServer::start() {
  if (!launch())
    throw std::runtime_error("redis-server on port " + std::to_string(port_) + " exited at start (see " + dir_ +
                             "/redis.log)");
}

void RedisServer::kill() {
  process_.signal(SIGKILL);
  process_.wait();
}

void RedisServer::stop() {
  if (!process_.running()) return;
  process_.signal(SIGTERM);
  process_.wait();
}

RedisServer::Stall RedisServer::stall(double seconds) const {
  redisContext* sleeper = redisConnect("127.0.0.1", port_);
  if (sleeper == nullptr || sleeper->err) throw std::runtime_error("stall: cannot connect");
  redisAppendCommand(sleeper, "DEBUG SLEEP %f", seconds);
  int done = 0;
  while (!done)
    if (redisBufferWrite(sleeper, &done) != REDIS_OK) throw std::runtime_error("stall: cannot send");
  // Frozen once a PING on another connection gets no answer in time.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("stall: server never froze");
    redisContext* probe = redisConnectWithTimeout("127.0.0.1", port_, timeval{0, 50000});
    if (probe == nullptr) continue;
    bool frozen = probe->err != 0;
    if (!frozen) {
      redisSetTimeout(probe, timeval{0, 50000});
      auto* reply = static_cast<redisReply*>(redisCommand(probe, "PING"));
      frozen = reply == nullptr;
      if (reply) freeReplyObject(reply);
    }
    redisFree(probe);
    if (frozen) break;
  }
  return Stall(std::thread([sleeper] {
    void* reply = nullptr;
    redisGetReply(sleeper, &reply);
    if (reply) freeReplyObject(reply);
    redisFree(sleeper);
  }));
}

std::string RedisServer::command(const std::vector<std::string>& args) const {
  return command_at(port_, options_.password, args);
}

std::string redis_command_at(std::uint16_t port, const std::vector<std::string>& args) {
  return command_at(port, "", args);
}

std::vector<int> RedisServer::databases_in_use() const {
  const std::string info = command({"INFO", "keyspace"});
  if (info.starts_with("ERR:")) throw std::runtime_error("INFO keyspace: " + info);
  // "db3:keys=12,expires=4,avg_ttl=0", one line per database with keys.
  std::vector<int> dbs;
  std::istringstream lines(info);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("db")) dbs.push_back(std::stoi(line.substr(2)));
  return dbs;
}

std::vector<std::string> RedisServer::keys(int db) const {
  Connection ctx = connect_to(port_, options_.password);
  if (!ctx) throw std::runtime_error("cannot connect to the redis-server on port " + std::to_string(port_));
  const std::string select = "SELECT " + std::to_string(db);
  expect_reply(redisCommand(ctx.get(), "SELECT %d", db), select);
  // SCAN may return a key more than once; the set keeps one of each.
  std::set<std::string> found;
  std::string cursor = "0";
  do {
    Reply page = expect_reply(redisCommand(ctx.get(), "SCAN %s COUNT 1000", cursor.c_str()), "SCAN in db" + std::to_string(db));
    if (page->type != REDIS_REPLY_ARRAY || page->elements != 2 || page->element[1]->type != REDIS_REPLY_ARRAY)
      throw std::runtime_error("SCAN: unexpected reply " + render(page.get()));
    cursor.assign(page->element[0]->str, page->element[0]->len);
    const redisReply* batch = page->element[1];
    for (std::size_t i = 0; i < batch->elements; ++i) found.emplace(batch->element[i]->str, batch->element[i]->len);
  } while (cursor != "0");
  return {found.begin(), found.end()};
}

}  // namespace permit::testing
