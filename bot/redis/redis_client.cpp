#include "bot/redis/redis_client.hpp"
#include "bot/redis/server_code.hpp"

#include "bot/redis/reply.hpp"
#include "bot/redis/handshake.hpp"
#include "bot/redis/pending_command.hpp"
#include "bot/redis/resp.hpp"
#include "bot/redis/switch_watch.hpp"
#include "bot/util/log.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <functional>
#include <optional>

namespace permit::redis {
namespace asio = boost::asio;
using boost::system::error_code;
// The command bookkeeping, shared with pending_command.hpp.
using detail::Clock, detail::Strand, detail::Handler, detail::PendingCommand, detail::posting_to_caller;



struct Client::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor executor, Options opts)
      : strand(asio::make_strand(executor)),
        options(std::move(opts)),
        connect_timer(strand),
        reconnect_timer(strand),
        deadline_timer(strand),
        resolver(strand),
        closed_signal(strand),
        backoff(options.reconnect_min) {}

  ~Impl() {
    // The io_context is gone or stopped by now; nothing else touches `context`.
    destroying = true;
    if (context != nullptr) redisAsyncFree(context);
  }

  // ---- connection lifecycle (strand only) ---------------------------------

  void connect() {
    if (closing || context != nullptr || resolving) return;
    if (!options.sentinel.sentinels.empty()) return ask_sentinels();
    connect_to_node(options.host, options.port);
  }

  // Sentinel names the primary anew for every connection: after a failover
  // the next connect goes to the new one.
  void ask_sentinels() {
    resolving = true;
    SentinelOptions sentinel = options.sentinel;
    sentinel.timeout = options.connect_timeout;
    asio::co_spawn(strand, ask_sentinels_for_primary(strand, std::move(sentinel)),
                   [self = shared_from_this()](std::exception_ptr e, boost::system::result<NodeAddress> primary) {
                     self->resolving = false;
                     if (e) std::rethrow_exception(e);
                     if (self->closing) return;
                     if (!primary) {
                       ++self->errors;
                       self->log_once("warn", "no sentinel names a primary for '" + self->options.sentinel.master_name +
                                                  "'; asking again");
                       return self->schedule_reconnect();
                     }
                     self->connect_to_node(primary->host, primary->port);
                   });
  }

  // Sentinel's word that the primary moved: drop the connection, and the
  // reconnect asks the sentinels again (see SwitchWatch).
  void watch_switch_master() {
    switch_watch = std::make_unique<SwitchWatch>(
        strand.get_inner_executor(), options, [weak = weak_from_this()](std::string primary) {
          auto self = weak.lock();
          if (!self) return;
          asio::post(self->strand, [self, primary = std::move(primary)] {
            if (self->closing || self->context == nullptr || self->node == primary) return;
            self->log_once("info", "Sentinel moved the primary to " + primary + "; reconnecting");
            self->drop();
          });
        });
    switch_watch->start();
  }

  void connect_to_node(const std::string& host, std::uint16_t port) {
    node = host + ":" + std::to_string(port);
    error_code ec;
    asio::ip::make_address(host, ec);
    if (!ec) return connect_to(host, port);
    // hiredis would resolve a host name with a blocking getaddrinfo on this
    // thread; let Asio's resolver do it off the I/O threads instead.
    resolving = true;
    resolver.async_resolve(host, std::to_string(port),
                           [self = shared_from_this(), port](error_code ec, asio::ip::tcp::resolver::results_type results) {
                             self->resolving = false;
                             if (self->closing) return;
                             if (ec || results.empty()) {
                               ++self->errors;
                               return self->schedule_reconnect();
                             }
                             self->connect_to(results.begin()->endpoint().address().to_string(), port);
                           });
  }

  void connect_to(const std::string& address, std::uint16_t port) {
    if (closing || context != nullptr) return;
    ++generation;
    redisAsyncContext* ctx = redisAsyncConnect(address.c_str(), port);
    if (ctx == nullptr || ctx->err != 0) {
      if (ctx != nullptr) redisAsyncFree(ctx);
      ++errors;
      schedule_reconnect();
      return;
    }
    // Registering the fd with the reactor can fail (out of memory, say):
    // then this attempt is dropped like a failed connect, not thrown.
    descriptor.emplace(strand);
    error_code assigned;
    descriptor->assign(ctx->c.fd, assigned);
    if (assigned) {
      descriptor.reset();
      redisAsyncFree(ctx);
      ++errors;
      schedule_reconnect();
      return;
    }
    context = ctx;
    ctx->data = this;
    ctx->ev.data = this;
    ctx->ev.addRead = [](void* p) { static_cast<Impl*>(p)->want_read(true); };
    ctx->ev.delRead = [](void* p) { static_cast<Impl*>(p)->want_read(false); };
    ctx->ev.addWrite = [](void* p) { static_cast<Impl*>(p)->want_write(true); };
    ctx->ev.delWrite = [](void* p) { static_cast<Impl*>(p)->want_write(false); };
    ctx->ev.cleanup = [](void* p) { static_cast<Impl*>(p)->on_context_gone(); };
    // The hooks must be in place first: setting the connect callback arms
    // the write event that detects the finished connect.
    redisAsyncSetConnectCallback(ctx, &Impl::on_connect);

    connect_timer.expires_after(options.connect_timeout);
    connect_timer.async_wait([self = shared_from_this(), gen = generation](error_code ec) {
      if (!ec && gen == self->generation && !self->authenticated) self->drop();
    });
  }

  static void on_connect(const redisAsyncContext* ctx, int status) {
    auto* self = static_cast<Impl*>(ctx->data);
    // On failure hiredis frees the context right after this returns; the
    // cleanup hook then schedules the reconnect.
    if (status != REDIS_OK) return;
    if (connected_to_itself(ctx->c.fd)) {
      // The server is down and the ephemeral port equals its port: TCP's
      // simultaneous open joined the socket to itself, and every command
      // would echo back. Dropped on the strand, outside this callback.
      self->log_once("warn", "Redis connection joined itself (the server is down); retrying");
      asio::post(self->strand, [self = self->shared_from_this(), gen = self->generation] {
        if (gen == self->generation) self->drop();
      });
      return;
    }
    self->handshake();
  }

  // AUTH and SELECT run first on every new connection; commands are refused
  // until they succeed, so no command ever runs on the wrong database.
  void handshake() {
    std::vector<std::vector<std::string>> steps = handshake_steps(options);
    auto remaining = std::make_shared<std::size_t>(steps.size());
    auto failed = std::make_shared<bool>(false);
    for (auto& step : steps) {
      const bool role = step[0] == "ROLE";
      auto handler = [self = shared_from_this(), remaining, failed, gen = generation, role](error_code ec, Value v) {
        if (gen != self->generation) return;
        const std::string why = ec ? ec.message() : handshake_refusal(v, role, self->node);
        if (!why.empty() && !*failed) {
          *failed = true;
          self->log_once("warn", "Redis handshake failed: " + why);
        }
        if (--*remaining != 0) return;
        if (*failed) {
          ++self->errors;
          self->drop();
          return;
        }
        self->log_once("info", "connected to Redis at " + self->node);
        self->authenticated = true;
        ++self->serial;
        self->ready = true;
        self->backoff = self->options.reconnect_min;
        self->connect_timer.cancel();
        self->resubscribe();
      };
      // The handshake's completions run on the strand itself.
      submit(format_command(step), posting_to_caller(std::move(handler), strand), true);
    }
  }

  void drop() {
    if (context != nullptr) redisAsyncFree(context);
  }

  // ---- subscriber mode ------------------------------------------------------

  void resubscribe() {
    if (channel.empty() || context == nullptr) return;
    redisAsyncCommand(context, &Impl::on_push, nullptr, "SUBSCRIBE %b", channel.data(), channel.size());
  }

  // hiredis keeps this callback for the subscription's lifetime: it runs for
  // the confirmation, for every message, and with no reply when the
  // connection goes (then the reconnect subscribes again).
  static void on_push(redisAsyncContext* ctx, void* reply, void*) {
    auto* self = static_cast<Impl*>(ctx->data);
    if (self->destroying || reply == nullptr) return;
    if (auto message = pushed_message(convert(static_cast<redisReply*>(reply)))) self->on_message(std::move(*message));
  }

  // hiredis calls this from inside redisAsyncFree, after failing the pending
  // callbacks and before closing the fd it owns.
  void on_context_gone() {
    if (destroying) return;
    if (ready && !closing) log_once("warn", "connection to Redis lost; reconnecting");
    context = nullptr;
    ready = false;
    authenticated = false;
    reading = writing = false;
    ++generation;
    if (descriptor) {
      descriptor->release();  // hiredis owns the fd and closes it
      descriptor.reset();
    }
    if (closing) {
      closed_signal.cancel();
    } else {
      schedule_reconnect();
    }
  }

  // Connection-state lines, logged once per change, not per reconnect attempt.
  void log_once(std::string_view level, std::string message) {
    if (message == last_logged) return;
    util::log(level, message);
    last_logged = std::move(message);
  }

  void schedule_reconnect() {
    if (closing) return;
    reconnect_timer.expires_after(backoff);
    backoff = std::min(backoff * 2, options.reconnect_max);
    reconnect_timer.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->connect();
    });
  }

  // ---- readiness: hiredis asks, Asio waits, hiredis does the I/O ------------

  void want_read(bool on) {
    reading = on;
    if (on) arm(false);
  }

  void want_write(bool on) {
    writing = on;
    if (!on) return;
    // Until the connect completes, writability is how hiredis learns that
    // it did. After that the socket is nearly always writable: flush once
    // per strand turn, so the commands of one turn go out in one write,
    // and fall back to waiting only when the kernel buffer is full.
    if (context == nullptr || (context->c.flags & REDIS_CONNECTED) == 0) return arm(true);
    if (flush_posted) return;
    flush_posted = true;
    asio::post(strand, [self = shared_from_this(), gen = generation] {
      if (gen != self->generation || self->context == nullptr || !self->writing) {
        self->flush_posted = false;
        return;
      }
      // flush_posted stays set during the write: if the kernel buffer is
      // full, hiredis asks to write again, and that must wait for epoll,
      // not spin through another posted flush.
      redisAsyncHandleWrite(self->context);
      self->flush_posted = false;
      if (gen == self->generation && self->writing) self->arm(true);
    });
  }

  // Waits, while hiredis wants it, for the socket to become readable (or
  // writable), then lets hiredis do the I/O.
  void arm(bool write) {
    bool& armed = write ? write_armed : read_armed;
    if (armed || !descriptor) return;
    armed = true;
    const auto wait = write ? asio::posix::descriptor_base::wait_write : asio::posix::descriptor_base::wait_read;
    descriptor->async_wait(wait, [self = shared_from_this(), gen = generation, write](error_code ec) {
      (write ? self->write_armed : self->read_armed) = false;
      const bool& wanted = write ? self->writing : self->reading;
      if (ec || gen != self->generation || self->context == nullptr || !wanted) return;
      if (write) redisAsyncHandleWrite(self->context);
      else redisAsyncHandleRead(self->context);
      if (gen == self->generation && wanted) self->arm(write);
    });
  }

  // ---- commands -------------------------------------------------------------

  // `command` is in RESP (resp.hpp).
  void submit(std::string_view command, Handler handler, bool during_handshake = false) {
    auto op = std::make_shared<PendingCommand>(std::move(handler), Clock::now() + options.command_timeout);
    if (closing) return op->complete(Error::closing, {});
    if (context == nullptr || (!ready && !during_handshake)) {
      ++errors;
      return op->complete(Error::not_connected, {});
    }
    auto* holder = new std::shared_ptr<PendingCommand>(op);
    if (redisAsyncFormattedCommand(context, &Impl::on_reply, holder, command.data(), command.size()) != REDIS_OK) {
      delete holder;
      ++errors;
      return op->complete(Error::not_connected, {});
    }
    in_flight.push_back(std::move(op));
    arm_deadline();
  }

  void arm_deadline() {
    while (!in_flight.empty() && in_flight.front()->done) in_flight.pop_front();
    if (deadline_armed || in_flight.empty()) return;
    deadline_armed = true;
    deadline_timer.expires_at(in_flight.front()->deadline);
    deadline_timer.async_wait([self = shared_from_this()](error_code ec) {
      self->deadline_armed = false;
      if (ec == asio::error::operation_aborted && self->closing) return;
      self->expire_overdue();
    });
  }

  void expire_overdue() {
    const auto now = Clock::now();
    const std::size_t expired = detail::expire_overdue(in_flight, now, Error::timeout, errors);
    // Nothing at all came back for a whole timeout: the connection is
    // stuck (a paused server, a dead peer), so replace it.
    if (expired > 0 && now - last_reply >= options.command_timeout) drop();
    arm_deadline();
  }

  static void on_reply(redisAsyncContext* ctx, void* reply, void* privdata) {
    std::unique_ptr<std::shared_ptr<PendingCommand>> holder(static_cast<std::shared_ptr<PendingCommand>*>(privdata));
    auto* self = static_cast<Impl*>(ctx->data);
    if (self->destroying) return;  // nothing may be posted any more
    if (reply == nullptr) {
      // hiredis fails pending commands with a null reply when the
      // connection goes away.
      ++self->errors;
      (*holder)->complete(Error::connection_lost, {});
      return;
    }
    self->last_reply = Clock::now();
    Value value = convert(static_cast<redisReply*>(reply));
    if (value.is_error() && !code_not_loaded(value)) ++self->errors;
    if (value.is_error() && value.str.starts_with("READONLY") && !self->options.sentinel.sentinels.empty()) {
      // The node was demoted to a replica: reconnect, and ask the
      // sentinels again. (Dropped on the strand, outside this callback.)
      asio::post(self->strand, [self = self->shared_from_this(), gen = self->generation] {
        if (gen == self->generation) self->drop();
      });
    }
    (*holder)->complete({}, std::move(value));
  }

  // Runs one command, in RESP. `command` is only read, and only until it is
  // handed to hiredis (which copies it), always before this completes, so
  // the caller's string is used in place.
  asio::awaitable<Result> run(const std::string& command) {
    // Named, not a temporary: GCC 12 destroys non-trivial temporaries of a
    // co_await expression twice.
    auto initiation = [self = shared_from_this(), &command](auto handler) {
      asio::dispatch(self->strand, [self, &command, handler = posting_to_caller(std::move(handler), self->strand)]() mutable {
        self->submit(command, std::move(handler));
      });
    };
    auto token = asio::as_tuple(asio::use_awaitable);
    std::tuple<error_code, Value> outcome =
        co_await asio::async_initiate<decltype(token), void(error_code, Value)>(initiation, token);
    if (std::get<0>(outcome)) co_return std::get<0>(outcome);
    co_return std::move(std::get<1>(outcome));
  }

  asio::awaitable<void> close_on_strand(std::chrono::milliseconds deadline) {
    closing = true;
    ready = false;
    reconnect_timer.cancel();
    connect_timer.cancel();
    resolver.cancel();
    if (switch_watch) co_await switch_watch->close(deadline);
    if (context == nullptr) co_return;
    // Disconnect after the pending replies have arrived; force it if they
    // do not arrive in time.
    redisAsyncDisconnect(context);
    if (context == nullptr) co_return;
    closed_signal.expires_after(deadline);
    co_await closed_signal.async_wait(asio::as_tuple(asio::use_awaitable));
    drop();
    deadline_timer.cancel();
  }

  Strand strand;
  Options options;
  std::string node;  // HOST:PORT of the node connected to (or being connected to)
  std::unique_ptr<SwitchWatch> switch_watch;  // with Sentinel
  redisAsyncContext* context = nullptr;
  std::optional<asio::posix::stream_descriptor> descriptor;
  asio::steady_timer connect_timer;
  asio::steady_timer reconnect_timer;
  asio::steady_timer deadline_timer;
  asio::ip::tcp::resolver resolver;
  bool resolving = false;
  bool deadline_armed = false;
  bool flush_posted = false;
  detail::InFlight in_flight;  // one timer serves them all (pending_command.hpp)
  asio::steady_timer closed_signal;
  std::chrono::milliseconds backoff;
  Clock::time_point last_reply = Clock::now();
  std::uint64_t generation = 0;
  bool reading = false, writing = false;
  bool read_armed = false, write_armed = false;
  bool authenticated = false;
  bool closing = false;
  bool destroying = false;
  std::string last_logged;
  std::string channel;  // subscriber mode: the channel
  std::function<void(std::string)> on_message;
  std::atomic<bool> ready{false};
  std::atomic<std::uint64_t> serial{0};
  std::atomic<std::uint64_t> errors{0};
};

Client::Client(asio::any_io_executor executor, Options options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {}

Client::~Client() = default;

void Client::subscribe(std::string channel, std::function<void(std::string)> on_message) {
  impl_->channel = std::move(channel);
  impl_->on_message = std::move(on_message);
}

void Client::start() {
  asio::dispatch(impl_->strand, [impl = impl_] {
    if (!impl->options.sentinel.sentinels.empty()) impl->watch_switch_master();
    impl->connect();
  });
}

asio::awaitable<Result> Client::exec(std::vector<std::string> args) {
  const std::string command = format_command(args);
  co_return co_await impl_->run(command);
}

// (Impl's own coroutine handed back, no frame of this one's; by reference:
// every caller awaits it at once, its command alive.)
asio::awaitable<Result> Client::run(const std::string& command) { return impl_->run(command); }

asio::awaitable<void> Client::close(std::chrono::milliseconds deadline) {
  co_await asio::co_spawn(impl_->strand, impl_->close_on_strand(deadline), asio::use_awaitable);
}

bool Client::connected() const { return impl_->ready.load(); }

std::uint64_t Client::connection_serial() const { return impl_->serial.load(); }

std::uint64_t Client::error_count() const { return impl_->errors.load(); }

}  // namespace permit::redis
