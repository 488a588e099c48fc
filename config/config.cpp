#include "config/config.hpp"

#include "json/parse.hpp"

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace permit::config {
namespace {

constexpr const char* kDefaultConfigPath = "config/permit-bot.json";

// The settings that have a flag and an environment variable. The file may
// hold them too, under the JSON pointer given.
struct Overridable {
  const char* flag;     // --listen
  const char* env;      // PERMIT_BOT_LISTEN
  const char* pointer;  // "/listen"
};

constexpr Overridable kOverridable[] = {
    {"--listen", "PERMIT_BOT_LISTEN", "/listen"},
    {"--admin-listen", "PERMIT_BOT_ADMIN_LISTEN", "/admin_listen"},
    {"--redis", "PERMIT_BOT_REDIS", "/redis"},
    {"--wechat-token", "PERMIT_BOT_WECHAT_TOKEN", "/wechat/token"},
    {"--wechat-appid", "PERMIT_BOT_WECHAT_APPID", "/wechat/appid"},
    {"--wechat-aes-key", "PERMIT_BOT_WECHAT_AES_KEY", "/wechat/aes_key"},
    {"--scripts", "PERMIT_BOT_SCRIPTS", "/scripts"},
    {"--wechat-secret", "PERMIT_BOT_WECHAT_SECRET", "/wechat/secret"},
    {"--wechat-api-base", "PERMIT_BOT_WECHAT_API_BASE", "/wechat/api_base"},
    {"--wechat-template-id", "PERMIT_BOT_WECHAT_TEMPLATE_ID", "/wechat/template_id"},
    {"--log-format", "PERMIT_BOT_LOG_FORMAT", "/log_format"},
    {"--redis-sentinel-password", "PERMIT_BOT_REDIS_SENTINEL_PASSWORD", "/redis_sentinel_password"},
};

// Quotes what the user typed so that an error stays one line: control
// characters are shown escaped.
std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

template <class Int>
std::optional<Int> parse_int(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_alnum_text(std::string_view s) { return std::all_of(s.begin(), s.end(), is_alnum); }
bool is_base64_text(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '+' || c == '/'; });
}

// Reads the file's string settings and numeric tunables into `config`.
std::optional<LoadError> apply_file(const std::string& path, bool required, Config& config,
                                    std::map<std::string, std::string>& strings) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (required) return LoadError{"cannot read config file " + single_quoted(path)};
    return std::nullopt;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string shown = single_quoted(path);
  rapidjson::Document doc;
  if (auto parsed = json::parse(doc, buffer.str()); !parsed)
    return LoadError{shown + ": invalid JSON at offset " + std::to_string(parsed.offset()) + ": " + parsed.message()};
  if (!doc.IsObject()) return LoadError{shown + ": the top level must be an object"};

  static const std::map<std::string, std::string> known_sections = {
      {"listen", "string"}, {"redis", "string"}, {"wechat", "object"}, {"threads", "int"},
      {"max_connections", "int"}, {"max_connections_per_address", "int"}, {"timeouts_ms", "object"},
      {"timestamp_skew_seconds", "int"}, {"state_retention_days", "int"},
      {"scripts", "string"}, {"outbound_rate_per_second", "int"}, {"admin_listen", "string"},
      {"api_tokens", "array"}, {"outbound", "object"}, {"log_format", "string"},
      {"redis_sentinel_password", "string"}, {"redis_min_replica_acks", "int"}};
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    std::string name = it->name.GetString();
    if (!known_sections.contains(name)) return LoadError{shown + ": unknown setting /" + name};
  }

  auto read_string = [&](const char* pointer) -> std::optional<LoadError> {
    const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(doc);
    if (v == nullptr) return std::nullopt;
    if (!v->IsString()) return LoadError{shown + ": " + pointer + " must be a string"};
    strings[pointer] = v->GetString();
    return std::nullopt;
  };
  for (const auto& o : kOverridable)
    if (auto e = read_string(o.pointer)) return e;
  // A relative scripts directory in the file is relative to the file.
  if (auto it = strings.find("/scripts"); it != strings.end() && !it->second.empty() && it->second[0] != '/')
    it->second = (std::filesystem::path(path).parent_path() / it->second).lexically_normal().string();
  if (auto* wechat = rapidjson::Pointer("/wechat").Get(doc)) {
    if (!wechat->IsObject()) return LoadError{shown + ": /wechat must be an object"};
    for (auto it = wechat->MemberBegin(); it != wechat->MemberEnd(); ++it) {
      std::string name = it->name.GetString();
      if (name != "token" && name != "appid" && name != "aes_key" && name != "secret" && name != "api_base" &&
          name != "template_id")
        return LoadError{shown + ": unknown setting /wechat/" + name};
    }
  }

  auto read_int = [&](const char* pointer, std::int64_t min, std::int64_t max,
                      auto&& assign) -> std::optional<LoadError> {
    const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(doc);
    if (v == nullptr) return std::nullopt;
    if (!v->IsInt64() || v->GetInt64() < min || v->GetInt64() > max)
      return LoadError{shown + ": " + pointer + " must be an integer from " + std::to_string(min) + " to " +
                       std::to_string(max)};
    assign(v->GetInt64());
    return std::nullopt;
  };
  using ms = std::chrono::milliseconds;
  const std::pair<const char*, ms*> timeouts[] = {
      {"/timeouts_ms/idle", &config.idle_timeout},
      {"/timeouts_ms/request", &config.request_timeout},
      {"/timeouts_ms/drain", &config.drain_timeout},
      {"/timeouts_ms/reply_budget", &config.reply_budget},
      {"/timeouts_ms/redis_command", &config.redis_command_timeout},
      {"/timeouts_ms/redis_connect", &config.redis_connect_timeout},
      {"/timeouts_ms/api", &config.api_timeout},
  };
  if (auto* t = rapidjson::Pointer("/timeouts_ms").Get(doc)) {
    if (!t->IsObject()) return LoadError{shown + ": /timeouts_ms must be an object"};
    for (auto it = t->MemberBegin(); it != t->MemberEnd(); ++it) {
      std::string pointer = std::string("/timeouts_ms/") + it->name.GetString();
      bool known = false;
      for (const auto& [p, target] : timeouts) known = known || pointer == p;
      if (!known) return LoadError{shown + ": unknown setting " + pointer};
    }
  }
  for (const auto& [pointer, target] : timeouts)
    if (auto e = read_int(pointer, 1, 3'600'000, [target = target](std::int64_t v) { *target = ms(v); })) return e;
  // The platform gives up after 5 s; a budget past that would answer nobody.
  if (config.reply_budget >= std::chrono::seconds(5))
    return LoadError{shown + ": /timeouts_ms/reply_budget must be under 5000"};
  if (auto e = read_int("/threads", 1, 256, [&](std::int64_t v) { config.threads = static_cast<int>(v); })) return e;
  if (auto e = read_int("/max_connections", 1, 1'000'000,
                        [&](std::int64_t v) { config.max_connections = static_cast<std::size_t>(v); }))
    return e;
  if (auto e = read_int("/max_connections_per_address", 1, 1'000'000,
                        [&](std::int64_t v) { config.max_connections_per_address = static_cast<std::size_t>(v); }))
    return e;
  if (auto e = read_int("/timestamp_skew_seconds", 1, 86400, [&](std::int64_t v) { config.timestamp_skew_seconds = v; }))
    return e;
  if (auto e = read_int("/state_retention_days", 1, 3650, [&](std::int64_t v) { config.state_retention_days = v; }))
    return e;
  if (auto* tokens = rapidjson::Pointer("/api_tokens").Get(doc)) {
    if (!tokens->IsArray()) return LoadError{shown + ": /api_tokens must be an array"};
    for (rapidjson::SizeType i = 0; i < tokens->Size(); ++i) {
      const auto& t = (*tokens)[i];
      const std::string at = shown + ": /api_tokens/" + std::to_string(i);
      auto field = [&](const char* name) -> std::string {
        return t.IsObject() && t.HasMember(name) && t[name].IsString() ? t[name].GetString() : "";
      };
      ApiToken token{field("name"), field("role"), field("sha256")};
      if (token.name.empty()) return LoadError{at + ": needs a \"name\""};
      if (token.role != "staff" && token.role != "admin") return LoadError{at + ": \"role\" must be staff or admin"};
      const bool hex = token.sha256.size() == 64 && std::all_of(token.sha256.begin(), token.sha256.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      });
      if (!hex) return LoadError{at + ": \"sha256\" must be 64 lower-case hex digits (sha256sum of the token)"};
      config.api_tokens.push_back(std::move(token));
    }
  }
  if (auto e = read_int("/redis_min_replica_acks", 0, 5,
                        [&](std::int64_t v) { config.redis_min_replica_acks = static_cast<int>(v); }))
    return e;
  if (auto e = read_int("/outbound_rate_per_second", 1, 10000,
                        [&](std::int64_t v) { config.outbound_rate_per_second = static_cast<int>(v); }))
    return e;
  if (auto* outbound = rapidjson::Pointer("/outbound").Get(doc)) {
    if (!outbound->IsObject()) return LoadError{shown + ": /outbound must be an object"};
    for (auto it = outbound->MemberBegin(); it != outbound->MemberEnd(); ++it) {
      std::string name = it->name.GetString();
      if (name != "claim_idle_ms" && name != "max_attempts" && name != "ca_file")
        return LoadError{shown + ": unknown setting /outbound/" + name};
    }
    if (auto e = read_int("/outbound/claim_idle_ms", 100, 3'600'000,
                          [&](std::int64_t v) { config.outbound_claim_idle = std::chrono::milliseconds(v); }))
      return e;
    if (auto e = read_int("/outbound/max_attempts", 1, 100,
                          [&](std::int64_t v) { config.outbound_max_attempts = static_cast<int>(v); }))
      return e;
    if (auto* ca = rapidjson::Pointer("/outbound/ca_file").Get(doc)) {
      if (!ca->IsString()) return LoadError{shown + ": /outbound/ca_file must be a string"};
      config.outbound_ca_file = ca->GetString();
      // Relative to the file, like the scripts.
      if (!config.outbound_ca_file.empty() && config.outbound_ca_file[0] != '/')
        config.outbound_ca_file =
            (std::filesystem::path(path).parent_path() / config.outbound_ca_file).lexically_normal().string();
    }
  }
  return std::nullopt;
}

std::optional<LoadError> apply_strings(const std::map<std::string, std::string>& strings, Config& config) {
  std::string error;
  if (auto it = strings.find("/listen"); it != strings.end()) {
    auto hp = parse_host_port(it->second, error);
    if (!hp) return LoadError{"listen: " + error};
    config.listen = *hp;
  }
  if (auto it = strings.find("/admin_listen"); it != strings.end()) {
    auto hp = parse_host_port(it->second, error);
    if (!hp) return LoadError{"admin_listen: " + error};
    config.admin_listen = *hp;
  }
  if (auto it = strings.find("/redis"); it != strings.end()) {
    auto endpoint = parse_redis_url(it->second, error);
    if (!endpoint) return LoadError{"redis: " + error};
    config.redis = *endpoint;
  }
  if (auto it = strings.find("/redis_sentinel_password"); it != strings.end())
    config.redis.sentinel_password = it->second;
  if (auto it = strings.find("/wechat/token"); it != strings.end()) config.wechat_token = it->second;
  if (auto it = strings.find("/wechat/appid"); it != strings.end()) config.wechat_appid = it->second;
  if (auto it = strings.find("/wechat/aes_key"); it != strings.end()) config.wechat_aes_key = it->second;
  if (auto it = strings.find("/scripts"); it != strings.end()) config.scripts_dir = it->second;
  if (auto it = strings.find("/wechat/secret"); it != strings.end()) config.wechat_secret = it->second;
  if (auto it = strings.find("/wechat/template_id"); it != strings.end()) config.wechat_template_id = it->second;
  if (auto it = strings.find("/log_format"); it != strings.end()) {
    if (it->second != "text" && it->second != "json")
      return LoadError{"log_format must be text or json, got " + single_quoted(it->second)};
    config.log_format = it->second;
  }
  if (auto it = strings.find("/wechat/api_base"); it != strings.end()) {
    if (!it->second.starts_with("http://") && !it->second.starts_with("https://"))
      return LoadError{"wechat api_base must start with http:// or https://"};
    config.wechat_api_base = it->second;
  }

  // The platform's own rules for these values: token 3-32 letters or digits,
  // EncodingAESKey exactly 43 base64 characters.
  if (config.wechat_token.empty()) return LoadError{"wechat token is required (--wechat-token)"};
  if (config.wechat_token.size() < 3 || config.wechat_token.size() > 32 || !is_alnum_text(config.wechat_token))
    return LoadError{"wechat token must be 3 to 32 letters or digits"};
  if (!config.wechat_aes_key.empty()) {
    if (config.wechat_aes_key.size() != 43 || !is_base64_text(config.wechat_aes_key))
      return LoadError{"wechat aes key must be 43 base64 characters"};
    if (config.wechat_appid.empty()) return LoadError{"wechat appid is required when an aes key is set"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<HostPort> parse_host_port(std::string_view text, std::string& error) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    error = "expected HOST:PORT, got " + single_quoted(text);
    return std::nullopt;
  }
  std::string_view host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  auto port = parse_int<std::uint32_t>(text.substr(colon + 1));
  if (!port || *port > 65535) {
    error = "bad port in " + single_quoted(text);
    return std::nullopt;
  }
  return HostPort{std::string(host), static_cast<std::uint16_t>(*port)};
}

std::optional<RedisEndpoint> parse_redis_url(std::string_view url, std::string& error) {
  constexpr std::string_view scheme = "redis://";
  constexpr std::string_view sentinel_scheme = "redis+sentinel://";
  const bool sentinel = url.starts_with(sentinel_scheme);
  if (!url.starts_with(scheme) && !sentinel) {
    error = "expected redis://[[user]:password@]HOST:PORT[/DB] or "
            "redis+sentinel://[[user]:password@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB], got " +
            single_quoted(url);
    return std::nullopt;
  }
  std::string_view rest = url.substr(sentinel ? sentinel_scheme.size() : scheme.size());
  RedisEndpoint endpoint;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    rest = rest.substr(at + 1);
    auto colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      error = "credentials must be ':password' or 'user:password'";
      return std::nullopt;
    }
    endpoint.user = std::string(credentials.substr(0, colon));
    endpoint.password = std::string(credentials.substr(colon + 1));
  }
  if (sentinel) {
    // HOST:PORT[,HOST:PORT...]/MASTER_NAME: the name is what the sentinels
    // monitor ("sentinel monitor NAME ..."), and must be there.
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash + 1 == rest.size() || rest[slash + 1] == '/') {
      error = "redis+sentinel:// needs /MASTER_NAME after the sentinels";
      return std::nullopt;
    }
    std::string_view hosts = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
    auto name_end = rest.find('/');
    endpoint.master_name = std::string(rest.substr(0, name_end));
    rest = name_end == std::string_view::npos ? std::string_view() : rest.substr(name_end);
    while (true) {
      auto comma = hosts.find(',');
      auto hp = parse_host_port(hosts.substr(0, comma), error);
      if (!hp) return std::nullopt;
      if (hp->port == 0) {
        error = "sentinel port must not be 0";
        return std::nullopt;
      }
      endpoint.sentinels.push_back(*hp);
      if (comma == std::string_view::npos) break;
      hosts = hosts.substr(comma + 1);
    }
    if (!rest.empty()) {
      auto db = parse_int<int>(rest.substr(1));
      if (!db || *db < 0 || *db > 15) {
        error = "database must be a number from 0 to 15";
        return std::nullopt;
      }
      endpoint.db = *db;
    }
    return endpoint;
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    auto db = parse_int<int>(rest.substr(slash + 1));
    if (!db || *db < 0 || *db > 15) {
      error = "database must be a number from 0 to 15";
      return std::nullopt;
    }
    endpoint.db = *db;
    rest = rest.substr(0, slash);
  }
  auto hp = parse_host_port(rest, error);
  if (!hp) return std::nullopt;
  if (hp->port == 0) {
    error = "redis port must not be 0";
    return std::nullopt;
  }
  endpoint.host = hp->host;
  endpoint.port = hp->port;
  return endpoint;
}

std::string usage() {
  return "usage: permit-bot [--config FILE] [--listen HOST:PORT] [--redis redis://[:password@]HOST:PORT[/DB]]\n"
         "                  [--redis redis+sentinel://[:password@]HOST:PORT[,HOST:PORT...]/MASTER_NAME[/DB]]\n"
         "                  [--redis-sentinel-password PASSWORD]\n"
         "                  [--wechat-token TOKEN] [--wechat-appid APPID] [--wechat-aes-key KEY]\n"
         "                  [--scripts DIR] [--wechat-secret SECRET] [--wechat-api-base URL]\n"
         "                  [--wechat-template-id ID] [--admin-listen HOST:PORT] [--log-format text|json]\n"
         "Each flag may also be set as PERMIT_BOT_<NAME> (e.g. PERMIT_BOT_WECHAT_TOKEN); a flag overrides\n"
         "the variable, and the variable overrides the config file (default " +
         std::string(kDefaultConfigPath) + ").\n";
}

LoadOutcome load(const std::vector<std::string>& args, const EnvLookup& env) {
  std::map<std::string, std::string> flag_values;  // pointer -> value
  std::optional<std::string> config_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") return HelpRequested{};
    std::optional<std::string> value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.starts_with("--")) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    }
    const Overridable* match = nullptr;
    for (const auto& o : kOverridable)
      if (arg == o.flag) match = &o;
    if (match == nullptr && arg != "--config") return LoadError{"unknown argument " + single_quoted(arg) + " (see --help)"};
    if (!value) {
      if (i + 1 >= args.size()) return LoadError{"flag " + single_quoted(arg) + " needs a value"};
      value = args[++i];
    }
    if (match == nullptr) config_path = *value;
    else flag_values[match->pointer] = *value;
  }
  if (!config_path) config_path = env("PERMIT_BOT_CONFIG");

  Config config;
  std::map<std::string, std::string> strings;
  if (auto e = apply_file(config_path.value_or(kDefaultConfigPath), config_path.has_value(), config, strings)) return *e;
  for (const auto& o : kOverridable)
    if (auto v = env(o.env)) strings[o.pointer] = *v;
  for (auto& [pointer, value] : flag_values) strings[pointer] = value;
  if (auto e = apply_strings(strings, config)) return *e;
  // Unset: replicas are waited for only where there are some to wait for.
  if (config.redis_min_replica_acks < 0) config.redis_min_replica_acks = config.redis.sentinels.empty() ? 0 : 1;
  return config;
}

}  // namespace permit::config
