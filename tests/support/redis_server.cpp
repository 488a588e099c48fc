#include "tests/support/redis_server.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
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

}  // namespace

RedisServer::RedisServer(Options options) : options_(std::move(options)), port_(free_port()) {
  char tmpl[] = "/tmp/permit-redis-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  start();
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

void RedisServer::start() {
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
  process_ = ChildProcess(argv, false);

  // Poll until it answers: the server is ready when PING says so.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    // Ours, not a server some other test started on this port.
    std::string info = command({"INFO", "server"});
    if (info.find("process_id:" + std::to_string(process_.pid()) + "\r") != std::string::npos) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  throw std::runtime_error("redis-server did not start on port " + std::to_string(port_) + " (see " + dir_ +
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
  timeval timeout{1, 0};
  redisContext* ctx = redisConnectWithTimeout("127.0.0.1", port_, timeout);
  if (ctx == nullptr || ctx->err) {
    if (ctx) redisFree(ctx);
    return "ERR:connect";
  }
  redisSetTimeout(ctx, timeval{5, 0});
  if (!options_.password.empty()) {
    auto* auth = static_cast<redisReply*>(redisCommand(ctx, "AUTH %s", options_.password.c_str()));
    if (auth) freeReplyObject(auth);
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  auto* reply = static_cast<redisReply*>(redisCommandArgv(ctx, static_cast<int>(argv.size()), argv.data(), lens.data()));
  std::string out = reply ? render(reply) : "ERR:io";
  if (reply) freeReplyObject(reply);
  redisFree(ctx);
  return out;
}

}  // namespace permit::testing
