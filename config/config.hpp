#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace permit::config {

struct HostPort {
  std::string host;
  std::uint16_t port = 0;  // 0 asks the OS for a free port
};

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string user;
  std::string password;
  int db = 0;
  // redis+sentinel://: the sentinels to ask where the primary named
  // master_name is (host and port above are then unused), and their own
  // password (redis_sentinel_password), apart from Redis's.
  std::vector<HostPort> sentinels;
  std::string master_name;
  std::string sentinel_password;
};

// A staff or admin API token. The config holds its SHA-256, never the token.
struct ApiToken {
  std::string name;    // who: recorded with what they do
  std::string role;    // "staff" or "admin"
  std::string sha256;  // hex of SHA-256(token)
};

struct Config {
  HostPort listen{"127.0.0.1", 8080};
  HostPort admin_listen{"127.0.0.1", 8090};  // the staff and admin API; loopback by default
  std::vector<ApiToken> api_tokens;
  RedisEndpoint redis;
  std::string wechat_token;
  std::string wechat_appid;
  std::string wechat_aes_key;  // empty: safe mode is off and encrypted posts are refused
  int threads = 2;
  std::size_t max_connections = 1024;
  // The platform posts from a few addresses, each carrying many requests at
  // once in a burst; one address may take a quarter of the slots (see the
  // README).
  std::size_t max_connections_per_address = 256;
  std::chrono::milliseconds idle_timeout{30000};    // keep-alive between requests
  std::chrono::milliseconds request_timeout{5000};  // a request's header and body, from its first byte
  std::chrono::milliseconds drain_timeout{10000};  // finishing requests on SIGTERM
  std::chrono::milliseconds reply_budget{4000};    // after this, answer "success"
  std::chrono::milliseconds redis_command_timeout{1000};
  std::chrono::milliseconds redis_connect_timeout{1000};
  std::int64_t timestamp_skew_seconds = 300;
  std::int64_t state_retention_days = 180;  // how long an idle conversation is kept
  std::string scripts_dir = "dialogs/scripts";
  // Outbound (customer-service and template messages). Without a secret the
  // sender does not run, and late replies wait in Redis.
  std::string wechat_secret;
  std::string wechat_api_base = "https://api.weixin.qq.com";
  std::string wechat_template_id;  // for students outside the 48-hour window
  int outbound_rate_per_second = 20;
  std::chrono::milliseconds api_timeout{5000};
  // "outbound": {...}
  std::chrono::milliseconds outbound_claim_idle{30000};  // a dead instance's entries move on after this
  int outbound_max_attempts = 5;                         // then an entry is a dead letter
  std::string outbound_ca_file;                          // extra trusted CA certificates (PEM) for the API
  // Replicas that must have a commit before the webhook acknowledges it
  // (WAIT). Unset in the file (-1): 1 with Sentinel, 0 with a single Redis.
  int redis_min_replica_acks = -1;
  // "text": `permit-bot LEVEL: message` lines; "json": one JSON object a line.
  std::string log_format = "text";
};

// Where a setting comes from, lowest priority first: the JSON file, then
// PERMIT_BOT_<NAME> environment variables, then command-line flags.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct LoadError {
  std::string message;  // one line, ready to print
};

struct HelpRequested {};

using LoadOutcome = std::variant<Config, LoadError, HelpRequested>;

LoadOutcome load(const std::vector<std::string>& args, const EnvLookup& env);

std::string usage();

// Building blocks, exposed for tests.
std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error);
std::optional<HostPort> parse_host_port(std::string_view text, std::string& error);

}  // namespace permit::config
