#include "config/config.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace permit::config {
namespace {

namespace fs = std::filesystem;
using Env = std::map<std::string, std::string>;

const std::string kAesKeyA(43, 'A');
const std::string kAesKeyB(43, 'B');
const std::string kAesKeyC(43, 'C');

EnvLookup lookup(Env env) {
  return [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

// A directory under the test temp dir, unique to the running test and
// emptied the first time that test asks for it.
fs::path test_dir() {
  static std::string prepared_for;
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  const std::string name = std::string(info->test_suite_name()) + "." + info->name();
  fs::path dir = fs::path(testing::TempDir()) / "permit_config_test" / name;
  if (prepared_for != name) {
    fs::remove_all(dir);
    prepared_for = name;
  }
  fs::create_directories(dir);
  return dir;
}

std::string write_file(const std::string& text, const std::string& name = "permit-bot.json") {
  fs::path path = test_dir() / name;
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  EXPECT_TRUE(out) << "could not write " << path;
  return path.string();
}

// A config file holding nothing but a valid token, plus `extra` members.
std::string minimal_file(const std::string& extra = "") {
  std::string body = R"({"wechat": {"token": "fileToken"})";
  if (!extra.empty()) body += ", " + extra;
  return write_file(body + "}");
}

Config expect_config(const LoadOutcome& outcome) {
  if (const auto* error = std::get_if<LoadError>(&outcome)) {
    ADD_FAILURE() << "unexpected LoadError: " << error->message;
    return {};
  }
  if (std::holds_alternative<HelpRequested>(outcome)) {
    ADD_FAILURE() << "unexpected HelpRequested";
    return {};
  }
  return std::get<Config>(outcome);
}

// Asserts a single-line LoadError that mentions every one of `needles`.
void expect_error(const LoadOutcome& outcome, std::initializer_list<std::string> needles) {
  const auto* error = std::get_if<LoadError>(&outcome);
  ASSERT_NE(error, nullptr) << "expected a LoadError";
  EXPECT_FALSE(error->message.empty());
  EXPECT_EQ(error->message.find('\n'), std::string::npos) << "message is not one line: " << error->message;
  for (const auto& needle : needles)
    EXPECT_NE(error->message.find(needle), std::string::npos)
        << "message '" << error->message << "' does not mention '" << needle << "'";
}

LoadOutcome load_file(const std::string& path, std::vector<std::string> extra_args = {}, Env env = {}) {
  std::vector<std::string> args = {"--config", path};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return load(args, lookup(std::move(env)));
}

// Restores the working directory when it goes out of scope.
class CurrentPathGuard {
 public:
  explicit CurrentPathGuard(const fs::path& dir) : saved_(fs::current_path()) { fs::current_path(dir); }
  ~CurrentPathGuard() { fs::current_path(saved_); }
  CurrentPathGuard(const CurrentPathGuard&) = delete;
  CurrentPathGuard& operator=(const CurrentPathGuard&) = delete;

 private:
  fs::path saved_;
};

// --- precedence ------------------------------------------------------------

TEST(ConfigLoad, FlagOverridesEnvironmentOverridesFile) {
  const std::string path = write_file(R"({
    "listen": "file.example:1001",
    "redis": "redis://file.example:2001",
    "wechat": {"token": "fileToken", "appid": "wxfile", "aes_key": ")" + kAesKeyA + R"("}
  })");
  const Env env = {{"PERMIT_BOT_LISTEN", "env.example:1002"},
                   {"PERMIT_BOT_REDIS", "redis://env.example:2002"},
                   {"PERMIT_BOT_WECHAT_TOKEN", "envToken"},
                   {"PERMIT_BOT_WECHAT_APPID", "wxenv"},
                   {"PERMIT_BOT_WECHAT_AES_KEY", kAesKeyB}};
  const std::vector<std::string> flags = {"--listen",       "flag.example:1003", "--redis",        "redis://flag.example:2003",
                                          "--wechat-token", "flagToken",         "--wechat-appid", "wxflag",
                                          "--wechat-aes-key", kAesKeyC};

  const Config from_file = expect_config(load_file(path));
  EXPECT_EQ(from_file.listen.host, "file.example");
  EXPECT_EQ(from_file.listen.port, 1001);
  EXPECT_EQ(from_file.redis.host, "file.example");
  EXPECT_EQ(from_file.redis.port, 2001);
  EXPECT_EQ(from_file.wechat_token, "fileToken");
  EXPECT_EQ(from_file.wechat_appid, "wxfile");
  EXPECT_EQ(from_file.wechat_aes_key, kAesKeyA);

  const Config from_env = expect_config(load_file(path, {}, env));
  EXPECT_EQ(from_env.listen.host, "env.example");
  EXPECT_EQ(from_env.listen.port, 1002);
  EXPECT_EQ(from_env.redis.host, "env.example");
  EXPECT_EQ(from_env.redis.port, 2002);
  EXPECT_EQ(from_env.wechat_token, "envToken");
  EXPECT_EQ(from_env.wechat_appid, "wxenv");
  EXPECT_EQ(from_env.wechat_aes_key, kAesKeyB);

  const Config from_flags = expect_config(load_file(path, flags, env));
  EXPECT_EQ(from_flags.listen.host, "flag.example");
  EXPECT_EQ(from_flags.listen.port, 1003);
  EXPECT_EQ(from_flags.redis.host, "flag.example");
  EXPECT_EQ(from_flags.redis.port, 2003);
  EXPECT_EQ(from_flags.wechat_token, "flagToken");
  EXPECT_EQ(from_flags.wechat_appid, "wxflag");
  EXPECT_EQ(from_flags.wechat_aes_key, kAesKeyC);
}

TEST(ConfigLoad, FlagOverridesFileWithoutEnvironment) {
  const std::string path = write_file(R"({"listen": "file.example:1001", "wechat": {"token": "fileToken"}})");
  const Config config = expect_config(load_file(path, {"--listen", "flag.example:1003"}));
  EXPECT_EQ(config.listen.host, "flag.example");
  EXPECT_EQ(config.listen.port, 1003);
  EXPECT_EQ(config.wechat_token, "fileToken");
}

TEST(ConfigLoad, InvalidEnvironmentValueIsIgnoredWhenFlagOverridesIt) {
  const std::string path = minimal_file();
  const Config config =
      expect_config(load_file(path, {"--listen=flag.example:1003"}, {{"PERMIT_BOT_LISTEN", "not-a-host-port"}}));
  EXPECT_EQ(config.listen.port, 1003);
}

TEST(ConfigLoad, SettingsAbsentEverywhereKeepDefaults) {
  const Config config = expect_config(load_file(minimal_file()));
  const Config defaults;
  EXPECT_EQ(config.listen.host, defaults.listen.host);
  EXPECT_EQ(config.listen.port, defaults.listen.port);
  EXPECT_EQ(config.redis.host, defaults.redis.host);
  EXPECT_EQ(config.redis.port, defaults.redis.port);
  EXPECT_EQ(config.wechat_appid, "");
  EXPECT_EQ(config.wechat_aes_key, "");
  EXPECT_EQ(config.threads, defaults.threads);
  EXPECT_EQ(config.reply_budget, defaults.reply_budget);
}

TEST(ConfigLoad, FileTunablesAreApplied) {
  const std::string path = minimal_file(R"(
    "threads": 7, "max_connections": 99, "max_connections_per_address": 9,
    "timeouts_ms": {"idle": 11, "drain": 12, "reply_budget": 4999, "redis_command": 14, "redis_connect": 15,
                    "request": 17},
    "timestamp_skew_seconds": 16, "state_retention_days": 3650)");
  const Config config = expect_config(load_file(path));
  EXPECT_EQ(config.threads, 7);
  EXPECT_EQ(config.max_connections, 99u);
  EXPECT_EQ(config.max_connections_per_address, 9u);
  EXPECT_EQ(config.idle_timeout, std::chrono::milliseconds(11));
  EXPECT_EQ(config.request_timeout, std::chrono::milliseconds(17));
  EXPECT_EQ(config.drain_timeout, std::chrono::milliseconds(12));
  EXPECT_EQ(config.reply_budget, std::chrono::milliseconds(4999));
  EXPECT_EQ(config.redis_command_timeout, std::chrono::milliseconds(14));
  EXPECT_EQ(config.redis_connect_timeout, std::chrono::milliseconds(15));
  EXPECT_EQ(config.timestamp_skew_seconds, 16);
  EXPECT_EQ(config.state_retention_days, 3650);
}

TEST(ConfigLoad, OutboundSettingsAreAppliedAndChecked) {
  const Config defaults = expect_config(load_file(minimal_file()));
  EXPECT_EQ(defaults.outbound_claim_idle, std::chrono::milliseconds(30000));
  EXPECT_EQ(defaults.outbound_max_attempts, 5);
  EXPECT_EQ(defaults.outbound_ca_file, "");
  const std::string path =
      minimal_file(R"("outbound": {"claim_idle_ms": 1000, "max_attempts": 3, "ca_file": "certs/ca.pem"})");
  const Config config = expect_config(load_file(path));
  EXPECT_EQ(config.outbound_claim_idle, std::chrono::milliseconds(1000));
  EXPECT_EQ(config.outbound_max_attempts, 3);
  EXPECT_EQ(config.outbound_ca_file, (fs::path(path).parent_path() / "certs/ca.pem").string());
  expect_error(load_file(minimal_file(R"("outbound": {"claim_idle": 5})")), {"/outbound/claim_idle"});
  expect_error(load_file(minimal_file(R"("outbound": {"claim_idle_ms": 99})")), {"/outbound/claim_idle_ms"});
  expect_error(load_file(minimal_file(R"("outbound": {"max_attempts": 0})")), {"/outbound/max_attempts"});
  expect_error(load_file(minimal_file(R"("outbound": {"ca_file": 1})")), {"/outbound/ca_file"});
  expect_error(load_file(minimal_file(R"("outbound": 5)")), {"/outbound", "object"});
}

TEST(ConfigLoad, LogFormatIsTextByDefaultJsonWhenAskedAndNothingElse) {
  EXPECT_EQ(expect_config(load_file(minimal_file())).log_format, "text");
  EXPECT_EQ(expect_config(load_file(minimal_file(R"("log_format": "json")"))).log_format, "json");
  EXPECT_EQ(expect_config(load_file(minimal_file(), {"--log-format", "json"})).log_format, "json");
  EXPECT_EQ(expect_config(load_file(minimal_file(), {}, {{"PERMIT_BOT_LOG_FORMAT", "json"}})).log_format, "json");
  expect_error(load_file(minimal_file(R"("log_format": "xml")")), {"log_format", "text or json", "xml"});
  expect_error(load_file(minimal_file(R"("log_format": 1)")), {"/log_format"});
}

// --- flag syntax -------------------------------------------------------------

TEST(ConfigLoad, FlagAcceptsEqualsAndSeparateValueForms) {
  const std::string path = minimal_file();
  const Config joined = expect_config(load({"--config=" + path, "--listen=joined.example:81"}, lookup({})));
  EXPECT_EQ(joined.listen.host, "joined.example");
  EXPECT_EQ(joined.listen.port, 81);
  EXPECT_EQ(joined.wechat_token, "fileToken");

  const Config separate = expect_config(load({"--config", path, "--listen", "separate.example:82"}, lookup({})));
  EXPECT_EQ(separate.listen.host, "separate.example");
  EXPECT_EQ(separate.listen.port, 82);
  EXPECT_EQ(separate.wechat_token, "fileToken");
}

TEST(ConfigLoad, LaterFlagWinsOverEarlierOne) {
  const Config config =
      expect_config(load_file(minimal_file(), {"--wechat-token", "firstToken", "--wechat-token=secondToken"}));
  EXPECT_EQ(config.wechat_token, "secondToken");
}

TEST(ConfigLoad, HelpFlagRequestsHelp) {
  EXPECT_TRUE(std::holds_alternative<HelpRequested>(load({"--help"}, lookup({}))));
  EXPECT_TRUE(std::holds_alternative<HelpRequested>(load({"-h"}, lookup({}))));
  EXPECT_TRUE(std::holds_alternative<HelpRequested>(load({"--listen", "h:1", "--help"}, lookup({}))));
}

TEST(ConfigLoad, UsageMentionsEveryFlag) {
  const std::string text = usage();
  for (const char* flag : {"--config", "--listen", "--redis", "--wechat-token", "--wechat-appid", "--wechat-aes-key"})
    EXPECT_NE(text.find(flag), std::string::npos) << flag;
}

TEST(ConfigLoad, UnknownFlagIsRejected) {
  expect_error(load_file(minimal_file(), {"--bogus", "x"}), {"--bogus"});
  expect_error(load_file(minimal_file(), {"--bogus=x"}), {"--bogus"});
  expect_error(load_file(minimal_file(), {"positional"}), {"positional"});
}

TEST(ConfigLoad, FlagWithoutValueIsRejected) {
  expect_error(load_file(minimal_file(), {"--listen"}), {"--listen"});
  expect_error(load({"--config"}, lookup({})), {"--config"});
}

// --- config file errors ------------------------------------------------------

TEST(ConfigLoad, UnknownTopLevelKeyIsRejected) {
  const std::string path = minimal_file(R"("colour": "blue")");
  expect_error(load_file(path), {"/colour", path});
}

TEST(ConfigLoad, UnknownWechatKeyIsRejected) {
  const std::string path = write_file(R"({"wechat": {"token": "fileToken", "tokn": "x"}})");
  expect_error(load_file(path), {"/wechat/tokn"});
}

TEST(ConfigLoad, UnknownTimeoutKeyIsRejected) {
  const std::string path = minimal_file(R"("timeouts_ms": {"idel": 5})");
  expect_error(load_file(path), {"/timeouts_ms/idel"});
}

TEST(ConfigLoad, InvalidJsonIsRejected) {
  const std::string path = write_file("{\n  \"listen\": \"h:1\",\n  \"wechat\": \n");
  expect_error(load_file(path), {path, "invalid JSON"});
}

// 140 KB of "[" overflowed the stack of the recursive parser.
TEST(ConfigLoad, DeeplyNestedJsonIsRejectedNotAStackOverflow) {
  const std::string path = write_file(std::string(140 * 1024, '['));
  expect_error(load_file(path), {path, "invalid JSON", "nested more than 64 levels deep"});
}

TEST(ConfigLoad, TopLevelNonObjectIsRejected) {
  const std::string path = write_file(R"(["listen"])");
  expect_error(load_file(path), {path, "object"});
}

TEST(ConfigLoad, WrongTypeIsRejected) {
  expect_error(load_file(minimal_file(R"("listen": 8080)")), {"/listen", "string"});
  expect_error(load_file(minimal_file(R"("redis": {"host": "h"})")), {"/redis", "string"});
  expect_error(load_file(write_file(R"({"wechat": {"token": 12345}})")), {"/wechat/token", "string"});
  expect_error(load_file(write_file(R"({"wechat": "fileToken"})")), {"/wechat", "object"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": 5)")), {"/timeouts_ms", "object"});
  expect_error(load_file(minimal_file(R"("threads": "4")")), {"/threads"});
  expect_error(load_file(minimal_file(R"("threads": 2.5)")), {"/threads"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"idle": true})")), {"/timeouts_ms/idle"});
}

TEST(ConfigLoad, OutOfRangeIntegerIsRejected) {
  expect_error(load_file(minimal_file(R"("threads": 0)")), {"/threads", "1", "256"});
  expect_error(load_file(minimal_file(R"("threads": 257)")), {"/threads"});
  expect_error(load_file(minimal_file(R"("max_connections": -1)")), {"/max_connections"});
  expect_error(load_file(minimal_file(R"("max_connections_per_address": 0)")), {"/max_connections_per_address"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"request": 0})")), {"/timeouts_ms/request"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"idle": 0})")), {"/timeouts_ms/idle"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"drain": 3600001})")), {"/timeouts_ms/drain"});
  expect_error(load_file(minimal_file(R"("state_retention_days": 3651)")), {"/state_retention_days"});
  expect_error(load_file(minimal_file(R"("timestamp_skew_seconds": 99999999999999999999)")),
               {"/timestamp_skew_seconds"});
}

TEST(ConfigLoad, ReplyBudgetOfFiveSecondsOrMoreIsRejected) {
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"reply_budget": 5000})")), {"reply_budget", "5000"});
  expect_error(load_file(minimal_file(R"("timeouts_ms": {"reply_budget": 60000})")), {"reply_budget"});
  EXPECT_EQ(expect_config(load_file(minimal_file(R"("timeouts_ms": {"reply_budget": 4999})"))).reply_budget,
            std::chrono::milliseconds(4999));
}

TEST(ConfigLoad, ExplicitConfigPathThatDoesNotExistIsRejected) {
  const std::string missing = (test_dir() / "missing.json").string();
  expect_error(load({"--config", missing}, lookup({{"PERMIT_BOT_WECHAT_TOKEN", "envToken"}})), {missing});
}

TEST(ConfigLoad, ConfigPathFromEnvironmentThatDoesNotExistIsRejected) {
  const std::string missing = (test_dir() / "missing.json").string();
  expect_error(load({}, lookup({{"PERMIT_BOT_CONFIG", missing}, {"PERMIT_BOT_WECHAT_TOKEN", "envToken"}})),
               {missing});
}

TEST(ConfigLoad, ConfigFlagOverridesConfigEnvironmentVariable) {
  const std::string path = minimal_file();
  const std::string missing = (test_dir() / "missing.json").string();
  const Config config = expect_config(load({"--config", path}, lookup({{"PERMIT_BOT_CONFIG", missing}})));
  EXPECT_EQ(config.wechat_token, "fileToken");
}

TEST(ConfigLoad, ConfigPathIsTakenFromEnvironment) {
  const std::string path = minimal_file();
  const Config config = expect_config(load({}, lookup({{"PERMIT_BOT_CONFIG", path}})));
  EXPECT_EQ(config.wechat_token, "fileToken");
}

TEST(ConfigLoad, MissingDefaultConfigFileIsFineWhenTokenComesFromEnvironment) {
  const fs::path dir = test_dir();
  ASSERT_FALSE(fs::exists(dir / "config" / "permit-bot.json"));
  CurrentPathGuard cwd(dir);
  const Config config = expect_config(load({}, lookup({{"PERMIT_BOT_WECHAT_TOKEN", "envToken"}})));
  EXPECT_EQ(config.wechat_token, "envToken");
  EXPECT_EQ(config.listen.port, Config{}.listen.port);
}

TEST(ConfigLoad, DefaultConfigFileIsReadFromWorkingDirectory) {
  const fs::path dir = test_dir();
  fs::create_directories(dir / "config");
  {
    std::ofstream out(dir / "config" / "permit-bot.json");
    out << R"({"listen": "default.example:4242", "wechat": {"token": "defaultToken"}})";
  }
  CurrentPathGuard cwd(dir);
  const Config config = expect_config(load({}, lookup({})));
  EXPECT_EQ(config.listen.host, "default.example");
  EXPECT_EQ(config.listen.port, 4242);
  EXPECT_EQ(config.wechat_token, "defaultToken");
}

// --- value validation --------------------------------------------------------

TEST(ConfigLoad, MissingTokenIsRejected) {
  expect_error(load_file(write_file("{}")), {"token"});
}

TEST(ConfigLoad, BadTokenIsRejected) {
  const std::string path = write_file("{}");
  expect_error(load_file(path, {"--wechat-token", "ab"}), {"token"});
  expect_error(load_file(path, {"--wechat-token", std::string(33, 'a')}), {"token"});
  expect_error(load_file(path, {"--wechat-token", "abc-def"}), {"token"});
  expect_error(load_file(path, {"--wechat-token", "abc def"}), {"token"});
  expect_error(load_file(path, {}, {{"PERMIT_BOT_WECHAT_TOKEN", "tok_en"}}), {"token"});
}

TEST(ConfigLoad, TokenLengthBoundsAreAccepted) {
  const std::string path = write_file("{}");
  EXPECT_EQ(expect_config(load_file(path, {"--wechat-token", "abc"})).wechat_token, "abc");
  const std::string longest(32, 'Z');
  EXPECT_EQ(expect_config(load_file(path, {"--wechat-token", longest})).wechat_token, longest);
}

TEST(ConfigLoad, BadAesKeyIsRejected) {
  const std::string path = minimal_file();
  const std::vector<std::string> appid = {"--wechat-appid", "wxapp"};
  auto with_key = [&](const std::string& key) {
    std::vector<std::string> args = appid;
    args.push_back("--wechat-aes-key");
    args.push_back(key);
    return load_file(path, args);
  };
  expect_error(with_key(std::string(42, 'A')), {"aes key"});
  expect_error(with_key(std::string(44, 'A')), {"aes key"});
  expect_error(with_key(std::string(42, 'A') + "-"), {"aes key"});
  expect_error(with_key(std::string(42, 'A') + "="), {"aes key"});
  EXPECT_EQ(expect_config(with_key(std::string(41, 'A') + "+/")).wechat_aes_key, std::string(41, 'A') + "+/");
}

TEST(ConfigLoad, AesKeyWithoutAppidIsRejected) {
  expect_error(load_file(minimal_file(), {"--wechat-aes-key", kAesKeyA}), {"appid"});
}

TEST(ConfigLoad, BadListenOrRedisValueNamesTheSetting) {
  expect_error(load_file(minimal_file(), {"--listen", "nohost"}), {"listen"});
  expect_error(load_file(minimal_file(), {}, {{"PERMIT_BOT_REDIS", "http://h:1"}}), {"redis"});
  expect_error(load_file(minimal_file(R"("listen": "h:70000")")), {"listen"});
}

// The header promises a one-line message. A value carrying a newline is
// echoed verbatim, so the message spans two lines.
// BUG (config/config.cpp parse_host_port/parse_redis_url and the unknown
// argument message in load): user input is quoted without escaping control
// characters. Left disabled; see the report.
TEST(ConfigLoad, ErrorMessageStaysOneLineWhenValueHasNewline) {
  expect_error(load_file(minimal_file(), {"--listen", "evil\nhost"}), {"listen"});
  expect_error(load_file(minimal_file(), {"--redis", "redis://\nh"}), {"redis"});
  expect_error(load_file(minimal_file(), {"--bo\ngus"}), {"gus"});
}

// --- parse_redis_url ---------------------------------------------------------

TEST(ParseRedisUrl, ReadsHostPortCredentialsAndDatabase) {
  const struct {
    const char* url;
    RedisEndpoint expected;
  } cases[] = {
      {"redis://h:1", {"h", 1, "", "", 0, {}, "", ""}},
      {"redis://:pw@h:2/3", {"h", 2, "", "pw", 3, {}, "", ""}},  // password only, and a database
      {"redis://user:pw@h:2", {"h", 2, "user", "pw", 0, {}, "", ""}},
      {"redis://h:1/15", {"h", 1, "", "", 15, {}, "", ""}},  // the highest database
  };
  for (const auto& c : cases) {
    std::string error;
    const auto endpoint = parse_redis_url(c.url, error);
    ASSERT_TRUE(endpoint) << c.url << ": " << error;
    EXPECT_EQ(endpoint->host, c.expected.host) << c.url;
    EXPECT_EQ(endpoint->port, c.expected.port) << c.url;
    EXPECT_EQ(endpoint->user, c.expected.user) << c.url;
    EXPECT_EQ(endpoint->password, c.expected.password) << c.url;
    EXPECT_EQ(endpoint->db, c.expected.db) << c.url;
  }
}

TEST(ParseRedisUrl, ReadsSentinelsMasterNameCredentialsAndDatabase) {
  std::string error;
  auto e = parse_redis_url("redis+sentinel://:pw@10.0.0.1:26379,10.0.0.2:26380,[::1]:26381/permit/3", error);
  ASSERT_TRUE(e) << error;
  ASSERT_EQ(e->sentinels.size(), 3u);
  EXPECT_EQ(e->sentinels[0].host, "10.0.0.1");
  EXPECT_EQ(e->sentinels[1].port, 26380);
  EXPECT_EQ(e->sentinels[2].host, "::1");
  EXPECT_EQ(e->master_name, "permit");
  EXPECT_EQ(e->password, "pw");
  EXPECT_EQ(e->db, 3);
  auto one = parse_redis_url("redis+sentinel://s1:26379/mymaster", error);
  ASSERT_TRUE(one) << error;
  EXPECT_EQ(one->sentinels.size(), 1u);
  EXPECT_EQ(one->master_name, "mymaster");
  EXPECT_EQ(one->db, 0);
  EXPECT_TRUE(parse_redis_url("redis://h:1", error)->sentinels.empty());
}

TEST(ParseRedisUrl, SentinelFormWithoutAMasterNameOrWithABadSentinelIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis+sentinel://s1:26379", error));
  EXPECT_NE(error.find("MASTER_NAME"), std::string::npos) << error;
  EXPECT_FALSE(parse_redis_url("redis+sentinel://s1:26379/", error));
  EXPECT_FALSE(parse_redis_url("redis+sentinel://s1:26379,s2/permit", error));
  EXPECT_FALSE(parse_redis_url("redis+sentinel://s1:0/permit", error));
  EXPECT_FALSE(parse_redis_url("redis+sentinel://s1:26379/permit/16", error));
}

TEST(ConfigLoad, SentinelPasswordIsKeptApartFromRedisPassword) {
  const Config config = expect_config(load_file(
      minimal_file(R"("redis": "redis+sentinel://:redispw@127.0.0.1:26379/permit", "redis_sentinel_password": "sentpw")")));
  EXPECT_EQ(config.redis.password, "redispw");
  EXPECT_EQ(config.redis.sentinel_password, "sentpw");
  EXPECT_EQ(config.redis.master_name, "permit");
}

TEST(ConfigLoad, ReplicaAcksAreOneWithSentinelZeroWithoutUnlessSet) {
  EXPECT_EQ(expect_config(load_file(minimal_file())).redis_min_replica_acks, 0);
  const std::string sentinel = R"("redis": "redis+sentinel://127.0.0.1:26379/permit")";
  EXPECT_EQ(expect_config(load_file(minimal_file(sentinel))).redis_min_replica_acks, 1);
  EXPECT_EQ(expect_config(load_file(minimal_file(sentinel + R"(, "redis_min_replica_acks": 0)"))).redis_min_replica_acks, 0);
  EXPECT_EQ(expect_config(load_file(minimal_file(R"("redis_min_replica_acks": 2)"))).redis_min_replica_acks, 2);
  expect_error(load_file(minimal_file(R"("redis_min_replica_acks": 6)")), {"/redis_min_replica_acks"});
}

TEST(ParseRedisUrl, DatabaseSixteenIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis://h:1/16", error));
  EXPECT_NE(error.find("database"), std::string::npos) << error;
}

TEST(ParseRedisUrl, NonNumericDatabaseIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis://h:1/x", error));
  EXPECT_FALSE(parse_redis_url("redis://h:1/", error));
  EXPECT_FALSE(parse_redis_url("redis://h:1/-1", error));
}

TEST(ParseRedisUrl, MissingPortIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis://h", error));
  EXPECT_FALSE(error.empty());
  error.clear();
  EXPECT_FALSE(parse_redis_url("redis://h:", error));
  EXPECT_FALSE(error.empty());
}

TEST(ParseRedisUrl, PortZeroIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis://h:0", error));
  EXPECT_NE(error.find("port"), std::string::npos) << error;
}

TEST(ParseRedisUrl, WrongSchemeIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("http://h:1", error));
  EXPECT_NE(error.find("redis://"), std::string::npos) << error;
  EXPECT_FALSE(parse_redis_url("rediss://h:1", error));
  EXPECT_FALSE(parse_redis_url("h:1", error));
}

TEST(ParseRedisUrl, CredentialsWithoutColonAreRejected) {
  std::string error;
  EXPECT_FALSE(parse_redis_url("redis://pw@h:1", error));
  EXPECT_NE(error.find("credentials"), std::string::npos) << error;
}

// --- parse_host_port ---------------------------------------------------------

TEST(ParseHostPort, BracketedIpv6) {
  std::string error;
  const auto hp = parse_host_port("[::1]:80", error);
  ASSERT_TRUE(hp) << error;
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->port, 80);
}

TEST(ParseHostPort, PortZeroAsksForAnyPort) {
  std::string error;
  const auto hp = parse_host_port("127.0.0.1:0", error);
  ASSERT_TRUE(hp) << error;
  EXPECT_EQ(hp->host, "127.0.0.1");
  EXPECT_EQ(hp->port, 0);
}

TEST(ParseHostPort, HighestPortIsAccepted) {
  std::string error;
  const auto hp = parse_host_port("host:65535", error);
  ASSERT_TRUE(hp) << error;
  EXPECT_EQ(hp->port, 65535);
}

TEST(ParseHostPort, PortAboveRangeIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_host_port("host:99999", error));
  EXPECT_NE(error.find("port"), std::string::npos) << error;
  EXPECT_FALSE(parse_host_port("host:65536", error));
}

TEST(ParseHostPort, MalformedInputIsRejected) {
  std::string error;
  EXPECT_FALSE(parse_host_port("host", error));
  EXPECT_FALSE(parse_host_port(":80", error));
  EXPECT_FALSE(parse_host_port("host:", error));
  EXPECT_FALSE(parse_host_port("host:8o", error));
  EXPECT_FALSE(parse_host_port("host:-1", error));
  EXPECT_FALSE(parse_host_port("host:+80", error));
}

}  // namespace
}  // namespace permit::config
