// bench-ref-server: the yardstick for bench/run.sh. A bare Boost.Beast
// keep-alive server that does what permit-bot's HTTP layer does (same
// library, one strand per connection, same number of io_context threads,
// full request parse including the body, a freshly built response per
// request) and nothing else, so the bot's requests/s divided by this one's
// is the share of the HTTP ceiling the webhook path keeps.
//
// Built a second time with PERMIT_FLOOR as bench-floor-server: the same
// server, plus one step on Redis per request through the bot's own Redis
// client before it answers. `--floor get` runs one GET; `--floor commit`
// runs the bot's commit (ConversationStore::commit: its Lua function, keys
// and argument shapes, a state and reply of the sizes the bot stores for
// "hello") for the request's FromUserName and MsgId. `--floor xadd` runs
// the one native compare-and-set Redis 7.0 has instead of the script:
// `XADD {u:STUDENT}:stream MAXLEN 4 0-<version> s STATE r REPLY d MSGID t
// NOW` (Redis refuses an explicit ID not above the stream's last, and the
// last 4 entries would keep the retries' replies), the commit design
// measured and not built (bench/README.md). None parses XML, checks a
// signature or runs a dialog, so its requests/s is a ceiling for any
// webhook that commits each message to Redis that way on this machine.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#ifdef PERMIT_FLOOR
#include "bot/inbound/conversation_cache.hpp"
#include "bot/inbound/conversation_store.hpp"
#include "bot/inbound/inbound_pipeline.hpp"
#include "bot/redis/endpoint.hpp"
#include "bot/redis/redis_client.hpp"
#include "config/config.hpp"

#include <mutex>
#include <optional>
#include <unordered_map>

#define PERMIT_FLOOR_NAME "floor-server"
#else
#define PERMIT_FLOOR_NAME "ref-server"
#endif

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

// About the size of the bot's text reply to "hello", so both sides move the
// same number of bytes.
constexpr std::string_view kReply =
    "<xml><ToUserName><![CDATA[stu1234]]></ToUserName><FromUserName><![CDATA[gh_bench]]></FromUserName>"
    "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    "<Content><![CDATA[Message 1 received: hello]]></Content></xml>";

// The bot's defaults: an idle keep-alive is cut off, and a request may not
// be larger than this.
constexpr auto kIdleTimeout = std::chrono::seconds(30);
constexpr std::uint64_t kBodyLimit = 64 * 1024;
constexpr std::uint32_t kHeaderLimit = 8 * 1024;

#ifdef PERMIT_FLOOR
// What the bot stores for a student who said "hello" (a state of 83 bytes)
// and about the length of its answer.
constexpr std::string_view kState =
    R"({"lang":"en","choices":["u:cpu","u:cqupt","u:hust","u:jsnu","u:nenu"],"messages":2})";
const std::string kReplyText(250, 'r');

// The text between `open` and `close` in `body`, or nothing.
std::optional<std::string> between(std::string_view body, std::string_view open, std::string_view close) {
  auto start = body.find(open);
  if (start == std::string_view::npos) return std::nullopt;
  start += open.size();
  auto end = body.find(close, start);
  if (end == std::string_view::npos) return std::nullopt;
  return std::string(body.substr(start, end - start));
}

// The Redis step of bench-floor-server.
class Floor {
 public:
  enum class Mode { get, commit, xadd };
  Floor(Mode mode, permit::redis::Client& redis)
      : mode_(mode), redis_(redis), store_(redis, {}), cache_(kBotDefaults.cache_entries, kBotDefaults.cache_max_age) {}

  // False when Redis failed or the body has no student or MsgId.
  asio::awaitable<bool> step(const std::string& body) {
    if (mode_ == Mode::get) {
      std::vector<std::string> command{"GET", "{bench}:floor"};
      auto reply = co_await redis_.exec(std::move(command));
      co_return reply.has_value();
    }
    auto student = between(body, "<FromUserName><![CDATA[", "]]>");
    auto msg_id = between(body, "<MsgId>", "</MsgId>");
    if (!student || !msg_id) co_return false;
    if (mode_ == Mode::xadd) {
      // The version each student is at, as the bot's cache would know it.
      std::int64_t version = 0;
      {
        std::lock_guard lock(versions_mutex_);
        version = ++versions_[*student];
      }
      std::vector<std::string> command{"XADD", "{u:" + *student + "}:stream", "MAXLEN", "4",
                                       "0-" + std::to_string(version), "s", std::string(kState), "r",
                                       std::string(kReplyText), "d", *msg_id, "t", std::to_string(std::time(nullptr))};
      auto reply = co_await redis_.exec(std::move(command));
      co_return reply.has_value();
    }
    // As the bot: the expected version from the bot's conversation cache; a
    // conflict returns the current one, and the next attempt commits.
    for (int attempt = 0; attempt < 2; ++attempt) {
      // (The ring of message keys too: a student not in the cache is new
      // here, with an empty ring, as the bot's load would find.)
      auto known = cache_.find(*student, *msg_id);
      const std::int64_t expected = known ? known->conversation.version : 0;
      std::optional<permit::core::RecentKeys> recent =
          known ? std::move(known->conversation.recent) : permit::core::RecentKeys{};
      std::string state(kState);
      auto committed = co_await store_.commit(*student, *msg_id, expected, state, kReplyText, {},
                                              recent ? &*recent : nullptr);
      if (!committed) co_return false;
      if (committed->status != permit::core::CommitResult::Status::committed) recent.reset();
      if (recent) (*recent)[permit::core::ring_slot(committed->version)] = *msg_id;
      cache_.remember(*student, permit::core::Conversation{committed->version, std::move(state), nullptr, std::move(recent)},
                      *msg_id, std::string(kReplyText));
      if (committed->status != permit::core::CommitResult::Status::conflict)
        co_return committed->status == permit::core::CommitResult::Status::committed;
    }
    co_return false;
  }

 private:
  static constexpr permit::core::PipelineOptions kBotDefaults{};  // the bot's cache size and age
  Mode mode_;
  permit::redis::Client& redis_;
  permit::core::ConversationStore store_;
  permit::core::ConversationCache cache_;
  std::mutex versions_mutex_;
  std::unordered_map<std::string, std::int64_t> versions_;
};

Floor* g_floor = nullptr;
#endif

// A coroutine that escapes with an exception is a bug; say so loudly.
void rethrow_if_failed(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

// Mirrors the bot's session loop: one deadline per request, a parser per
// request, a response built per request. Errors end the connection; no
// exception is thrown on the I/O path.
asio::awaitable<void> session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(kHeaderLimit);
    parser.body_limit(kBodyLimit);
    stream.expires_after(kIdleTimeout);
    auto [read_ec, read_bytes] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    if (read_ec) break;
    const auto& request = parser.get();
    auto status = http::status::ok;
#ifdef PERMIT_FLOOR
    if (!co_await g_floor->step(request.body())) status = http::status::service_unavailable;
#endif
    http::response<http::string_body> response{status, request.version()};
    response.set(http::field::server, "bench-ref-server");
    response.set(http::field::content_type, "application/xml; charset=utf-8");
    response.body() = kReply;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    stream.expires_after(kIdleTimeout);
    auto [write_ec, written] = co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    if (write_ec || !response.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> accept_loop(asio::io_context& ioc, tcp::acceptor& acceptor) {
  for (;;) {
    // Each connection gets its own strand, as in the bot.
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
    if (ec) continue;  // e.g. EMFILE; the next accept may succeed
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), rethrow_if_failed);
  }
}

bool parse_listen(std::string_view text, std::string& host, unsigned short& port) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  host = std::string(text.substr(0, colon));
  auto digits = text.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  return ec == std::errc{} && end == digits.data() + digits.size();
}

int usage() {
#ifdef PERMIT_FLOOR
  std::fprintf(stderr, "usage: bench-floor-server --redis redis://HOST:PORT --floor get|commit|xadd [--listen HOST:PORT] [--threads N]\n");
#else
  std::fprintf(stderr, "usage: bench-ref-server [--listen HOST:PORT] [--threads N]\n");
#endif
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  int threads = 2;
#ifdef PERMIT_FLOOR
  std::optional<permit::config::RedisEndpoint> redis_at;
  std::optional<Floor::Mode> mode;
#endif
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return usage();
    std::string_view value = argv[++i];
    if (arg == "--listen") {
      if (!parse_listen(value, host, port)) return usage();
    } else if (arg == "--threads") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), threads);
      if (ec != std::errc{} || end != value.data() + value.size() || threads < 1) return usage();
#ifdef PERMIT_FLOOR
    } else if (arg == "--redis") {
      std::string error;
      redis_at = permit::config::parse_redis_url(value, error);
      if (!redis_at) return usage();
    } else if (arg == "--floor") {
      if (value == "get") mode = Floor::Mode::get;
      else if (value == "commit") mode = Floor::Mode::commit;
      else if (value == "xadd") mode = Floor::Mode::xadd;
      else return usage();
#endif
    } else {
      return usage();
    }
  }

  asio::io_context ioc(threads);
#ifdef PERMIT_FLOOR
  if (!redis_at || !mode) return usage();
  permit::redis::Client redis(ioc.get_executor(), permit::redis::options_for(*redis_at));
  redis.start();
  Floor floor(*mode, redis);
  g_floor = &floor;
#endif
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return usage();
  tcp::acceptor acceptor(asio::make_strand(ioc));
  tcp::endpoint endpoint(address, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  auto bound = ec ? tcp::endpoint{} : acceptor.local_endpoint(ec);
  if (ec) {
    std::fprintf(stderr, "bench-ref-server: cannot listen on %s:%u: %s\n", host.c_str(), port, ec.message().c_str());
    return 1;
  }
  asio::co_spawn(acceptor.get_executor(), accept_loop(ioc, acceptor), rethrow_if_failed);
  // bench/run.sh reads the bound port from this line.
  std::printf(PERMIT_FLOOR_NAME " listening on %s:%u\n", bound.address().to_string().c_str(), bound.port());
  std::fflush(stdout);

  asio::signal_set signals(ioc, SIGTERM, SIGINT);
  signals.async_wait([&ioc](const boost::system::error_code&, int) { ioc.stop(); });

  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  return 0;
}
