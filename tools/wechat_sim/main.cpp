// wechat-sim: chat with a running permit-bot from a terminal, the way the
// WeChat platform would deliver the messages (signed; encrypted in safe
// mode). The account settings and the bot's address come from the bot's
// own config, so `wechat-sim chat` just works next to `permit-bot`.

#include "bot/server/http_server.hpp"
#include "config/config.hpp"
#include "tools/wechat_sim/platform_api.hpp"
#include "tools/wechat_sim/push_client.hpp"

#include <boost/asio/signal_set.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <variant>
#include <vector>

namespace {

using namespace permit;

constexpr const char* kUsage =
    "usage: wechat-sim chat [--config FILE] [--bot HOST:PORT] [--openid ID] [--mode plain|safe|compatible]\n"
    "                       [--api HOST:PORT]   (a running 'wechat-sim serve': each message you type opens\n"
    "                                            your 48-hour window there, as the platform would)\n"
    "       wechat-sim send [same options] [--voice | --voice-unrecognised] TEXT...\n"
    "       wechat-sim serve --secret SECRET [--config FILE] [--listen HOST:PORT] [--per-minute N] [--daily-quota N]\n"
    "                       [--window-messages N]   (messages a student can be sent in the 48-hour window; 5)\n"
    "  chat: each line you type is sent as a text message; the bot's passive reply is printed.\n"
    "  send: sends one message and prints the reply; exits 1 unless the bot answered 200. With --voice\n"
    "        it is a voice message the platform recognised as TEXT; --voice-unrecognised, one without\n"
    "        the platform's recognition (no TEXT).\n"
    "  serve: the platform's sending API (tokens, customer-service and template messages), recording\n"
    "         every message; prints 'wechat-sim api listening on HOST:PORT'. GET /sim/messages lists them.\n"
    "The account (token, appid, aes key) and the bot address come from the bot's config\n"
    "(default config/permit-bot.json, with PERMIT_BOT_* variables applied as the bot does).\n";

int usage_error(const std::string& message) {
  std::cerr << "wechat-sim: " << message << "\n" << kUsage;
  return 2;
}

std::optional<std::string> environment(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  return v ? std::optional<std::string>(v) : std::nullopt;
}

std::uint64_t next_msg_id() {
  // Unique across runs: microseconds since the epoch, then counting up.
  static std::uint64_t id = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  return ++id;
}

void print_reply(const sim::HttpReply& reply) {
  if (reply.status == 0) std::cout << "(no answer: is permit-bot running?)\n";
  else if (reply.status != 200) std::cout << "(HTTP " << reply.status << ") " << reply.body;
  else if (reply.body == "success") std::cout << "(no reply now; it will arrive later)\n";
  else std::cout << "bot> " << reply.content << "\n";
}

// The platform's API side, until SIGTERM or SIGINT.
int serve(const std::vector<std::string>& args) {
  std::vector<std::string> config_args;
  std::string listen = "127.0.0.1:0";
  sim::PlatformApi::Options options;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (i + 1 >= args.size()) return usage_error(args[i] + " needs a value");
    const std::string& a = args[i];
    const std::string& v = args[++i];
    if (a == "--config") config_args = {"--config", v};
    else if (a == "--listen") listen = v;
    else if (a == "--secret") options.secret = v;
    else if (a == "--appid") options.appid = v;
    else if (a == "--per-minute") options.per_minute_limit = std::atoi(v.c_str());
    else if (a == "--daily-quota") options.daily_quota = std::atoi(v.c_str());
    else if (a == "--window-messages") options.window_messages = std::atoi(v.c_str());
    else return usage_error("unknown argument '" + a + "'");
  }
  if (options.secret.empty()) return usage_error("serve needs --secret");
  if (options.appid.empty()) {
    auto loaded = config::load(config_args, environment);
    if (auto* cfg = std::get_if<config::Config>(&loaded)) options.appid = cfg->wechat_appid;
    if (options.appid.empty()) return usage_error("serve needs --appid or a config with wechat.appid");
  }
  std::string error;
  auto address = config::parse_host_port(listen, error);
  if (!address) return usage_error("--listen: " + error);

  boost::asio::io_context ioc(1);
  sim::PlatformApi api(options);
  server::HttpServer http(
      ioc, server::ServerOptions{.host = address->host, .port = address->port},
      [&api](server::Request request) -> boost::asio::awaitable<server::Response> { co_return api.handle(request); },
      [](std::string_view, unsigned) {});
  auto bound = http.listen();
  if (!bound) return usage_error("cannot listen on " + listen + ": " + bound.error().message());
  http.start();
  std::cout << "wechat-sim api listening on " << bound->address().to_string() << ":" << bound->port() << std::endl;
  boost::asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code&, int) { ioc.stop(); });
  ioc.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  if (command == "serve") return serve(args);
  if (command != "chat" && command != "send") return usage_error("unknown command '" + command + "'");

  std::vector<std::string> config_args;
  std::string bot_address, openid = "stu_demo", mode_name = "plain", text, api_address;
  enum class Kind { text, voice, voice_unrecognised } kind = Kind::text;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--config" || a == "--bot" || a == "--openid" || a == "--mode" || a == "--api") {
      auto v = value();
      if (!v) return usage_error(a + " needs a value");
      if (a == "--config") config_args = {"--config", *v};
      else if (a == "--bot") bot_address = *v;
      else if (a == "--openid") openid = *v;
      else if (a == "--api") api_address = *v;
      else mode_name = *v;
    } else if (command == "send" && a == "--voice") {
      kind = Kind::voice;
    } else if (command == "send" && a == "--voice-unrecognised") {
      kind = Kind::voice_unrecognised;
    } else if (command == "send") {
      text += (text.empty() ? "" : " ") + a;
    } else {
      return usage_error("unknown argument '" + a + "'");
    }
  }

  auto loaded = config::load(config_args, environment);
  if (auto* error = std::get_if<config::LoadError>(&loaded)) return usage_error("config: " + error->message);
  if (!std::holds_alternative<config::Config>(loaded)) return usage_error("bad config");
  const auto& cfg = std::get<config::Config>(loaded);
  config::HostPort bot = cfg.listen;
  if (!bot_address.empty()) {
    std::string error;
    auto parsed = config::parse_host_port(bot_address, error);
    if (!parsed) return usage_error("--bot: " + error);
    bot = *parsed;
  }
  sim::PushClient::Mode mode;
  if (mode_name == "plain") mode = sim::PushClient::Mode::plain;
  else if (mode_name == "safe") mode = sim::PushClient::Mode::safe;
  else if (mode_name == "compatible") mode = sim::PushClient::Mode::compatible;
  else return usage_error("--mode must be plain, safe or compatible");
  if (mode != sim::PushClient::Mode::plain && cfg.wechat_aes_key.empty())
    return usage_error("safe and compatible modes need wechat.aes_key in the config");

  sim::PushClient client(bot.host, bot.port, sim::Account{cfg.wechat_token, cfg.wechat_appid, cfg.wechat_aes_key},
                         mode);
  std::optional<config::HostPort> api;
  if (!api_address.empty()) {
    std::string error;
    api = config::parse_host_port(api_address, error);
    if (!api) return usage_error("--api: " + error);
  }
  // The student writes: on the platform, that opens the 48-hour window.
  auto opened = [&] {
    if (api) sim::http_request(api->host, api->port, "POST", "/sim/interaction", "{\"openid\":\"" + openid + "\"}");
  };
  if (command == "send") {
    if (text.empty() && kind != Kind::voice_unrecognised) return usage_error("send needs a TEXT");
    opened();
    auto reply = kind == Kind::text    ? client.send_text(openid, next_msg_id(), text)
                 : kind == Kind::voice ? client.send_voice(openid, next_msg_id(), text)
                                       : client.send_voice(openid, next_msg_id(), std::nullopt);
    print_reply(reply);
    return reply.status == 200 ? 0 : 1;
  }

  std::cout << "Chatting with permit-bot at " << bot.host << ":" << bot.port << " as " << openid << " (" << mode_name
            << " mode). Type a message; Ctrl-D to quit.\n";
  std::string line;
  while (std::cout << "you> " << std::flush, std::getline(std::cin, line)) {
    if (line.empty()) continue;
    opened();
    print_reply(client.send_text(openid, next_msg_id(), line));
  }
  std::cout << "\n";
  return 0;
}
