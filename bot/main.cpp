// permit-bot: the webhook process. Loads the config, connects to Redis,
// serves the WeChat webhook, and shuts down gracefully on SIGTERM/SIGINT.

#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/inbound_pipeline.hpp"
#include "bot/inbound/inbox.hpp"
#include "bot/ops/metrics.hpp"
#include "bot/staff/audit_log.hpp"
#include "bot/staff/broadcasts.hpp"
#include "bot/scripts/script_registry.hpp"
#include "bot/outbound/outbound_service.hpp"
#include "bot/redis/endpoint.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/server/http_server.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/log.hpp"
#include "bot/util/periodic_task.hpp"
#include "config/config.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"
#include "bot/accounts/account_admin.hpp"
#include "bot/accounts/password.hpp"
#include "bot/accounts/sign_in.hpp"
#include "bot/dashboard/tally.hpp"
#include "handlers/admin_gate.hpp"
#include "handlers/ops_endpoints.hpp"
#include "handlers/router.hpp"
#include "handlers/staff_api.hpp"
#include "handlers/wechat_endpoint.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <memory>
#include <optional>
#include <csignal>
#include <cstdio>
#include <sys/resource.h>
#include <unistd.h>
#include <cstdlib>
#include <iostream>
#include <thread>
#include <variant>
#include <vector>

namespace {

namespace asio = boost::asio;
using namespace permit;

constexpr int kExitBadConfig = 2;
constexpr int kExitUnfinishedShutdown = 3;
constexpr std::chrono::milliseconds kRedisCloseTime{1000};

std::optional<std::string> environment(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

redis::Options redis_options(const config::Config& cfg) {
  redis::Options options = redis::options_for(cfg.redis);
  options.command_timeout = cfg.redis_command_timeout;
  options.connect_timeout = cfg.redis_connect_timeout;
  return options;
}

// Stop accepting, let requests in flight finish, let late replies be
// queued, then close Redis and stop the threads.
asio::awaitable<void> shut_down(const config::Config& cfg, server::HttpServer& server, server::HttpServer& admin_server,
                                core::InboundPipeline& pipeline, outbound::OutboundService* outbound,
                                util::PeriodicTask& held_sweep, util::PeriodicTask& broadcast_job, core::ScriptRegistry& scripts, redis::Client& redis,
                                util::PeriodicTask& dashboard_flush, dashboard::Tally& tally, asio::io_context& ioc) {
  util::log("info", "shutting down: draining requests in flight");
  const auto deadline = std::chrono::steady_clock::now() + cfg.drain_timeout;
  // One deadline for the whole shutdown. Past it (and the time Redis gets to
  // close) the process ends with whatever is left: nothing acknowledged is
  // lost by that, since a message is committed or held in Redis before its
  // answer, and sends, effects and held messages left half-way are taken up
  // by another instance or the next start.
  asio::steady_timer watchdog(ioc, deadline + kRedisCloseTime + std::chrono::milliseconds(500));
  watchdog.async_wait([](const boost::system::error_code& ec) {
    if (ec) return;
    util::log("error", "shutdown passed its deadline with work unfinished; exiting now");
    std::fflush(nullptr);
    std::_Exit(kExitUnfinishedShutdown);
  });
  server.begin_shutdown();
  admin_server.begin_shutdown();
  bool drained = co_await server.drained(deadline);
  drained = co_await admin_server.drained(deadline) && drained;
  co_await held_sweep.stop();
  drained = co_await pipeline.drain(deadline) && drained;
  // The dashboard's last second of counts.
  co_await dashboard_flush.stop();
  co_await tally.flush(redis);
  if (outbound != nullptr) co_await outbound->stop();
  co_await broadcast_job.stop();
  co_await scripts.stop();
  if (!drained) util::log("warn", "drain deadline passed with work still in flight");
  co_await redis.close(kRedisCloseTime);
  watchdog.cancel();
  util::log("info", "stopped");
  ioc.stop();
}

// Names this process among the instances (token lease, consumer group).
std::string instance_name() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  // The random part keeps a restarted process (same pid in a container)
  // from inheriting the entries its predecessor held.
  return std::string(host) + ":" + std::to_string(getpid()) + ":" + util::sha1_hex(util::random_bytes(16)).substr(0, 8);
}

// Every connection takes a descriptor; make sure the cap can be reached
// before the process runs out of them (then clients would hang, not get a
// 503).
void ensure_descriptors(std::size_t max_connections) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(max_connections) + 64;  // Redis, listeners, logs, margin
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < wanted)
    util::log("warn", "open-file limit " + std::to_string(limit.rlim_cur) + " is below max_connections + 64; " +
                          "connections past it will wait instead of getting 503");
}

int run(const config::Config& cfg) {
  // The bot never starts on an invalid script: every error, then exit 2.
  // The same files seed an empty script store.
  auto read = dialogs::read_script_files(cfg.scripts_dir);
  auto scripts = dialogs::load_scripts(read);
  if (!scripts.scripts) {
    for (const auto& e : scripts.errors)
      util::log("error", "invalid script: " + e.to_string());
    return kExitBadConfig;
  }
  auto from_files = std::make_shared<const dialogs::Engine>(std::move(*scripts.scripts));
  ensure_descriptors(cfg.max_connections);
  std::optional<wechat::MessageCipher> cipher;
  if (!cfg.wechat_aes_key.empty()) {
    auto made = wechat::MessageCipher::from_encoding_aes_key(cfg.wechat_aes_key);
    if (!made) {
      util::log("error", "wechat aes key is not valid: " + made.error().message());
      return kExitBadConfig;
    }
    cipher = *made;
  }

  asio::io_context ioc(cfg.threads);
  // Checking and building scripts (a publish, a release loaded) is CPU
  // work: one thread of its own, off the webhook's.
  asio::thread_pool script_work(1);
  redis::Client redis(ioc.get_executor(), redis_options(cfg));
  // The published scripts live in Redis (seeded from the files on first
  // start); until they are read, the files answer.
  core::ScriptRegistry scripts_registry(ioc.get_executor(), script_work.get_executor(), redis, redis_options(cfg),
                                        std::move(read.files), std::move(read.schema), from_files);
  core::Metrics metrics;
  core::ConversationStore store(redis, {cfg.state_retention_days * 24 * 3600});
  core::Inbox inbox(redis);
  core::EffectOutbox effects(redis, metrics);
  // WAIT blocks the connection it runs on: half the command timeout at
  // most, so that the commands behind it still get their answers in time.
  redis::ReplicaAcks replicas(redis, cfg.redis_min_replica_acks, cfg.redis_command_timeout / 2);
  core::InboundPipeline pipeline(
      ioc.get_executor(), store, scripts_registry, inbox, effects, metrics,
      core::PipelineOptions{.reply_budget = cfg.reply_budget,
                            .quick_wait = 3 * cfg.redis_command_timeout,
                            .replicas = cfg.redis_min_replica_acks > 0 ? &replicas : nullptr});
  // The console's dashboard: figures kept as messages are committed, in
  // memory, sent to Redis once a second (see dashboard::Tally).
  dashboard::Tally tally;
  pipeline.observe_commits([&tally](const core::CommittedTurn& turn) { tally.record(turn); });
  util::PeriodicTask dashboard_flush(asio::make_strand(ioc), std::chrono::seconds(1),
                                     [&tally, &redis] { return tally.flush(redis); });
  // Every instance finishes messages held by one that died (see Inbox).
  util::PeriodicTask held_sweep(asio::make_strand(ioc), std::chrono::seconds(1),
                                [&pipeline] { return pipeline.sweep_held(); });
  handlers::WechatEndpoint wechat({cfg.wechat_token, cfg.wechat_appid, cipher, cfg.timestamp_skew_seconds}, pipeline);
  server::HttpServer* server_ptr = nullptr;
  handlers::OpsEndpoints ops(
      redis, metrics,
      [&]() -> handlers::OpsEndpoints::ConnectionCounts {
        if (!server_ptr) return {};
        return {.open = server_ptr->open_connections(), .under_way = server_ptr->requests_under_way()};
      },
      [&scripts_registry] { return scripts_registry.snapshot()->current(); });
  handlers::Router router(wechat, ops);

  server::HttpServer server(
      ioc,
      server::ServerOptions{.host = cfg.listen.host,
                            .port = cfg.listen.port,
                            .max_connections = cfg.max_connections,
                            .max_connections_per_address = cfg.max_connections_per_address,
                            .idle_timeout = cfg.idle_timeout,
                            .request_timeout = cfg.request_timeout},
      [&router](server::Request request) { return router.route(std::move(request)); },
      [&metrics](std::string_view path, unsigned status) { metrics.count_response(path, status); });
  server_ptr = &server;

  auto bound = server.listen();
  if (!bound) {
    util::log("error", "cannot listen on " + cfg.listen.host + ":" + std::to_string(cfg.listen.port) + ": " +
                           bound.error().message());
    return kExitBadConfig;
  }
  redis.start();
  scripts_registry.start();
  server.start();

  const std::string instance = instance_name();
  // The outbound side: late replies, reminders and broadcasts go out
  // through the platform's API.
  std::unique_ptr<outbound::OutboundService> outbound;
  if (!cfg.wechat_secret.empty()) {
    std::string url_error;
    auto base = outbound::BaseUrl::parse(cfg.wechat_api_base, url_error);
    if (!base) {
      util::log("error", "wechat api_base: " + url_error);
      return kExitBadConfig;
    }
    outbound = std::make_unique<outbound::OutboundService>(
        ioc, outbound::OutboundOptions{*base, cfg.wechat_appid, cfg.wechat_secret, cfg.wechat_template_id,
                                       cfg.outbound_rate_per_second, cfg.api_timeout, redis_options(cfg),
                                       instance, cfg.outbound_claim_idle, cfg.outbound_max_attempts,
                                       cfg.outbound_ca_file, cfg.redis_min_replica_acks,
                                       cfg.redis_command_timeout / 2});
    if (outbound->ca_error()) {
      util::log("error", "outbound ca_file " + cfg.outbound_ca_file + ": " + outbound->ca_error().message());
      return kExitBadConfig;
    }
    outbound->start();
  } else {
    util::log("warn", "no wechat secret: nothing is sent; late replies, reminders and broadcasts wait in Redis");
  }

  // The staff and admin API, on its own listener. Every instance, sending
  // or not, releases scheduled broadcasts and finishes fan-outs that an
  // instance left when it died.
  core::Broadcasts broadcasts(redis, instance);
  util::PeriodicTask broadcast_job(asio::make_strand(ioc), std::chrono::seconds(1),
                                   [&broadcasts] { return broadcasts.tick(); });
  core::AuditLog audit(redis);
  handlers::AdminApi admin(scripts_registry, audit);
  handlers::StaffApi staff(
      cfg.api_tokens, redis, broadcasts,
      [&scripts_registry](const std::string& id) {
        return scripts_registry.snapshot()->current_engine().university(id) != nullptr;
      },
      audit, admin);
  // The console: people's accounts and sessions. Password hashes are CPU
  // work (~50-100 ms each): a thread of their own, off the webhook's.
  asio::thread_pool password_work(1);
  accounts::Accounts people(redis, password_work.get_executor());
  accounts::Sessions sessions(redis);
  accounts::SignIn sign_in(people, sessions, audit, redis);
  // Made before serving: otherwise the first sign-in with an unknown name
  // would also pay for making it, and take twice as long as a wrong password.
  static_cast<void>(accounts::decoy_hash());
  accounts::AccountAdmin account_admin(people, audit);
  handlers::SessionApi session_api(sign_in);
  handlers::UsersApi users_api(people, account_admin);
  const handlers::ConsoleFiles console_files(handlers::default_console_dir());
  if (console_files.size() == 0)
    util::log("warn", "the console is not built (" + handlers::default_console_dir() + "): /console/ answers 404");
  handlers::ConsoleApi console_api(redis, [&scripts_registry] {
    auto snapshot = scripts_registry.snapshot();
    const dialogs::ScriptSet* set = &snapshot->current_engine().scripts();
    return std::shared_ptr<const dialogs::ScriptSet>(std::move(snapshot), set);
  });
  handlers::AdminGate admin_gate(staff, session_api, users_api, console_api, console_files, sessions,
                                 cfg.redis_min_replica_acks > 0 ? &replicas : nullptr);
  // Scripts are bigger than messages (the largest is ~70 KB), and may come
  // over a slow link: a request may take the idle timeout to arrive. Staff
  // connect from few addresses (loopback by default), so no cap per address.
  server::HttpServer admin_server(
      ioc, server::ServerOptions{.host = cfg.admin_listen.host, .port = cfg.admin_listen.port, .max_connections = 64,
                                 .idle_timeout = cfg.idle_timeout, .request_timeout = cfg.idle_timeout,
                                 .body_limit = 1024 * 1024},
      [&admin_gate](server::Request request) { return admin_gate.handle(std::move(request)); },
      [&metrics](std::string_view path, unsigned status) { metrics.count_response(path, status); });
  auto admin_bound = admin_server.listen();
  if (!admin_bound) {
    util::log("error", "cannot listen on " + cfg.admin_listen.host + ":" + std::to_string(cfg.admin_listen.port) +
                           " (admin): " + admin_bound.error().message());
    return kExitBadConfig;
  }
  admin_server.start();
  broadcast_job.start();
  held_sweep.start();
  dashboard_flush.start();
  std::printf("permit-bot admin api on %s:%u\n", admin_bound->address().to_string().c_str(), admin_bound->port());

  // Tests and scripts read the bound port from this line.
  std::printf("permit-bot listening on %s:%u\n", bound->address().to_string().c_str(), bound->port());
  std::fflush(stdout);

  asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    auto stopping =
        shut_down(cfg, server, admin_server, pipeline, outbound.get(), held_sweep, broadcast_job, scripts_registry,
                  redis, dashboard_flush, tally, ioc);
    asio::co_spawn(ioc, std::move(stopping), [](std::exception_ptr e) {
      if (e) std::rethrow_exception(e);
    });
  });

  std::vector<std::thread> threads;
  for (int i = 1; i < cfg.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  script_work.join();
  password_work.join();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // hiredis writes to its socket with write(2), not send(MSG_NOSIGNAL): a
  // write just after Redis died would raise SIGPIPE and kill the process
  // without a word. The write's EPIPE is handled as a lost connection.
  std::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto loaded = config::load(args, environment);
  if (std::holds_alternative<config::HelpRequested>(loaded)) {
    std::cout << config::usage();
    return 0;
  }
  if (auto* error = std::get_if<config::LoadError>(&loaded)) {
    std::fprintf(stderr, "permit-bot: %s\n", error->message.c_str());
    return kExitBadConfig;
  }
  const auto& cfg = std::get<config::Config>(loaded);
  util::set_log_format(cfg.log_format == "json" ? util::LogFormat::json : util::LogFormat::text);
  return run(cfg);
}
