#include "bot/redis/server_code.hpp"

#include "bot/redis/redis_client.hpp"
#include "bot/redis/resp.hpp"

namespace permit::redis {
namespace asio = boost::asio;

bool library_exists(const Value& value) {
  return value.str.starts_with("ERR Library '") && value.str.ends_with("' already exists");
}

bool code_not_loaded(const Value& value) {
  return value.str.starts_with("NOSCRIPT") || value.str == kFunctionNotFound || library_exists(value);
}

asio::awaitable<Result> Client::eval(const LuaScript& script, std::vector<std::string> keys,
                                     std::vector<std::string> args) {
  // Formatted straight from keys and args: no vector of the whole command,
  // no copy of the SHA-1 per call.
  std::string command = format_eval("EVALSHA", script.sha1(), keys, args);
  auto result = co_await run(command);
  if (result && result->is_error() && result->str.starts_with("NOSCRIPT")) {
    // First use on this server (or after a restart or SCRIPT FLUSH): EVAL
    // also caches the script for the next EVALSHA.
    command = format_eval("EVAL", script.source(), keys, args);
    result = co_await run(command);
  }
  co_return result;
}

asio::awaitable<Result> Client::fcall(const LuaFunction& function, std::vector<std::string> keys,
                                      std::vector<std::string> args) {
  const std::string command = format_eval("FCALL", function.name(), keys, args);
  auto result = co_await run(command);
  if (!result || !result->is_error() || result->str != kFunctionNotFound) co_return result;
  const std::string load = format_command({"FUNCTION", "LOAD", function.library()});
  auto loaded = co_await run(load);
  if (!loaded || (loaded->is_error() && !library_exists(*loaded))) co_return loaded;
  co_return co_await run(command);
}

}  // namespace permit::redis
