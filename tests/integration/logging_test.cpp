// The bot's log: one line per event on stderr (journald stores each as an
// entry), as text or, with log_format json, as one JSON object a line.

#include "json/parse.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <csignal>
#include <sstream>

namespace permit::testing {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Starts a bot, stops it with SIGTERM, and returns what it logged: the
// start (no wechat secret: a warning), the drain and the stop at least.
std::string log_of_a_run(std::vector<std::string> args) {
  RedisServer redis;
  BotProcess bot(redis.url(), std::move(args));
  bot.signal(SIGTERM);
  EXPECT_EQ(bot.wait(), 0);
  return bot.log();
}

TEST(Logging, EachEventIsOneTextLineByDefault) {
  const auto lines = lines_of(log_of_a_run({}));
  ASSERT_GE(lines.size(), 3u);
  for (const auto& line : lines)
    EXPECT_TRUE(line.starts_with("permit-bot info: ") || line.starts_with("permit-bot warn: ") ||
                line.starts_with("permit-bot error: "))
        << line;
  EXPECT_EQ(lines.back(), "permit-bot info: stopped");
}

TEST(Logging, WithLogFormatJsonEachEventIsOneJsonObjectALine) {
  const auto lines = lines_of(log_of_a_run({"--log-format", "json"}));
  ASSERT_GE(lines.size(), 3u);
  for (const auto& line : lines) {
    rapidjson::Document doc;
    ASSERT_TRUE(json::parse(doc, line) && doc.IsObject()) << line;
    ASSERT_TRUE(doc.HasMember("time") && doc["time"].IsString()) << line;
    EXPECT_EQ(std::string(doc["time"].GetString()).size(), std::string("2026-12-05T10:31:02.153Z").size()) << line;
    ASSERT_TRUE(doc.HasMember("level") && doc["level"].IsString()) << line;
    ASSERT_TRUE(doc.HasMember("message") && doc["message"].IsString()) << line;
  }
  rapidjson::Document last;
  ASSERT_TRUE(json::parse(last, lines.back()));
  EXPECT_EQ(std::string(last["level"].GetString()), "info");
  EXPECT_EQ(std::string(last["message"].GetString()), "stopped");
}

TEST(Logging, AnUnknownLogFormatIsRefusedAtStart) {
  RedisServer redis;
  auto result = run_bot({"--config", std::string(PERMIT_SOURCE_DIR) + "/config/permit-bot.json", "--redis", redis.url(),
                         "--log-format", "xml"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("log_format must be text or json"), std::string::npos) << result.stderr_text;
}

}  // namespace
}  // namespace permit::testing
