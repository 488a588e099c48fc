// The RESP formatter against hiredis's own.

#include "bot/redis/resp.hpp"

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

namespace permit::redis {
namespace {

std::string hiredis_format(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* out = nullptr;
  const int n = redisFormatCommandArgv(&out, static_cast<int>(args.size()), argv.data(), lengths.data());
  std::string formatted(out, static_cast<std::size_t>(n));
  redisFreeCommand(out);
  return formatted;
}

TEST(Resp, FormatsCommandsByteForByteAsHiredisDoes) {
  const std::vector<std::vector<std::string>> commands = {
      {"PING"},
      {"SET", "key", ""},
      {"EVALSHA", "0123456789abcdef", "3", "{u:o}:conv", std::string("bin\0ary\r\n", 9), std::string(70000, 'x')},
      {"HSET", "k", "f", "中文"},
  };
  for (const auto& c : commands) EXPECT_EQ(format_command(c), hiredis_format(c)) << c.front();
  EXPECT_EQ(format_command({"GET", "a"}), "*2\r\n$3\r\nGET\r\n$1\r\na\r\n");
}

TEST(Resp, FormatsEvalAsTheWholeCommandWouldBe) {
  const std::vector<std::string> keys{"{u:o}:conv", "{u:o}:outbox"};
  const std::vector<std::string> args{"1", "", std::string("bin\0ary\r\n", 9), std::string(300, 'y')};
  for (const auto& [verb, script] : {std::pair{"EVALSHA", std::string(40, 'a')}, std::pair{"EVAL", std::string("return 1")}}) {
    std::vector<std::string> whole{verb, script, std::to_string(keys.size())};
    whole.insert(whole.end(), keys.begin(), keys.end());
    whole.insert(whole.end(), args.begin(), args.end());
    EXPECT_EQ(format_eval(verb, script, keys, args), hiredis_format(whole)) << verb;
  }
  EXPECT_EQ(format_eval("EVAL", "s", {}, {}), "*3\r\n$4\r\nEVAL\r\n$1\r\ns\r\n$1\r\n0\r\n");
}

}  // namespace
}  // namespace permit::redis
