#pragma once

#include "bot/redis/lua_script.hpp"
#include "bot/redis/redis_error.hpp"
#include "bot/redis/redis_value.hpp"
#include "bot/redis/sentinel.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace permit::redis {

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string user;      // Redis 6 ACL user; empty means the default user
  std::string password;  // empty means no AUTH
  int db = 0;
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds command_timeout{1000};
  // Reconnect backoff doubles from min to max; max stays well under a second
  // so service resumes within a second of Redis coming back.
  std::chrono::milliseconds reconnect_min{20};
  std::chrono::milliseconds reconnect_max{400};
  // With sentinels, host and port are not used: every connect asks the
  // sentinels where the primary is, and the node they name must answer
  // ROLE with "master" (a sentinel may lag a failover). A -READONLY reply
  // (the node was demoted under us) drops the connection, and the
  // reconnect asks again.
  SentinelOptions sentinel;
};

using Result = boost::system::result<Value>;

// A command that went through: fails with the transport's error, or with
// unexpected_reply when Redis answered with an error.
inline boost::system::result<void> succeeded(const Result& r) {
  if (!r) return r.error();
  if (r->is_error()) return Error::unexpected_reply;
  return {};
}

// One long-lived, automatically pipelined connection to one Redis node. It
// reconnects by itself (AUTH and SELECT after every connect), and every
// command has a timeout. Safe to call from any thread or strand; callers see
// error codes and Values, never hiredis.
class Client {
 public:
  Client(boost::asio::any_io_executor executor, Options options);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Starts connecting in the background.
  void start();

  // Makes this client a subscriber; call before start(), and run no
  // command on it. `on_message` runs on the client's strand for each
  // message published on the channel, and with an empty message whenever
  // the subscription is (re)established: what was published while the
  // connection was down is lost, so that is the moment to catch up.
  void subscribe(std::string channel, std::function<void(std::string)> on_message);

  // Runs one command. Fails fast with Error::not_connected while there is no
  // connection, so callers can shed load instead of queueing behind an outage.
  boost::asio::awaitable<Result> exec(std::vector<std::string> args);

  // EVALSHA, falling back to EVAL when the server does not know the script.
  boost::asio::awaitable<Result> eval(const LuaScript& script, std::vector<std::string> keys,
                                      std::vector<std::string> args);

  // FCALL. A server that lacks the function (a fresh one: FUNCTION LOAD is
  // replicated and persisted, but an empty data dir has none) gets its
  // library by FUNCTION LOAD, and the call is sent again. Each of the (at
  // most three) commands has the command timeout.
  [[nodiscard]] boost::asio::awaitable<Result> fcall(const LuaFunction& function, std::vector<std::string> keys,
                                                     std::vector<std::string> args);

  // Stops reconnecting, lets pending replies arrive (up to `deadline`), then
  // disconnects.
  boost::asio::awaitable<void> close(std::chrono::milliseconds deadline);

  // True while a connection is up and authenticated.
  bool connected() const;
  // Changes whenever the client gets a new connection: WAIT counts only
  // the writes of the connection it runs on, so a caller compares this
  // before its writes and after its WAIT.
  std::uint64_t connection_serial() const;
  // Transport failures and error replies seen so far (for /metrics).
  std::uint64_t error_count() const;

 private:
  // Sends one command already in RESP (server_code.cpp's eval and fcall).
  [[nodiscard]] boost::asio::awaitable<Result> run(const std::string& command);
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace permit::redis
