#include "bot/server/http_server.hpp"

#include "bot/server/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <iostream>

namespace permit::server {
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// A coroutine that escapes with an exception is a bug; say so loudly
// rather than losing it.
void rethrow_if_failed(std::exception_ptr e) {
  if (e) std::rethrow_exception(e);
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc, ServerOptions options, RequestHandler handler, ResponseObserver observer)
    : ioc_(ioc),
      options_(std::move(options)),
      handler_(std::move(handler)),
      observer_(std::move(observer)),
      acceptor_(asio::make_strand(ioc)),
      connections_(ioc.get_executor()),
      slots_(options_.max_connections, options_.max_connections_per_address) {}

HttpServer::~HttpServer() = default;

boost::system::result<tcp::endpoint> HttpServer::listen() {
  boost::system::error_code ec;
  tcp::endpoint endpoint;
  if (auto address = asio::ip::make_address(options_.host, ec); !ec) {
    endpoint = tcp::endpoint(address, options_.port);
  } else {
    // A host name ("localhost"), resolved once, at start: its first IPv4
    // address if it has one (as clients of "localhost" mostly try first),
    // else its first address.
    tcp::resolver resolver(ioc_);
    auto found = resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
    if (ec) return ec;
    if (found.empty()) return make_error_code(asio::error::host_not_found);
    endpoint = found.begin()->endpoint();
    for (const auto& entry : found) {
      if (entry.endpoint().address().is_v4()) {
        endpoint = entry.endpoint();
        break;
      }
    }
  }
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) return ec;
  return bound;
}

void HttpServer::start() { asio::co_spawn(acceptor_.get_executor(), accept_loop(), rethrow_if_failed); }

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    // Each connection gets its own strand.
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors (EMFILE) or similar: the connection stays in
      // the backlog, so retrying at once would spin. Pause briefly.
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto peer = socket.remote_endpoint(ec);
    if (ec) continue;  // gone already
    // Full: a connection that only waits gives way (idle sockets must not
    // lock the platform out); 503 only when all have requests under way.
    auto admitted = slots_.admit(peer.address());
    if (!admitted) {
      asio::co_spawn(socket.get_executor(), refuse(std::move(socket), admitted.error()), rethrow_if_failed);
      continue;
    }
    if (admitted->evicted) give_way(*admitted->evicted);
    socket.set_option(tcp::no_delay(true), ec);
    const auto id = admitted->id;
    auto session = std::make_shared<HttpSession>(*this, std::move(socket), id);
    {
      std::lock_guard lock(sessions_mutex_);
      sessions_.emplace(id, session);
    }
    connections_.add();
    auto executor = session->executor();
    asio::co_spawn(executor, session->run(), [this, id, session](std::exception_ptr e) {
      forget(id);
      rethrow_if_failed(e);
    });
  }
}

asio::awaitable<void> HttpServer::refuse(tcp::socket socket, Refusal why) {
  boost::beast::tcp_stream stream(std::move(socket));
  stream.expires_after(std::chrono::seconds(1));
  auto response = make_response(http::status::service_unavailable, why == Refusal::address_full
                                                                       ? "too many connections from this address\n"
                                                                       : "too many connections\n");
  response.keep_alive(false);
  observer_("", response.result_int());
  co_await http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
  // Linger: closing with the client's request still unread would send a
  // reset, which can destroy the 503 before the client reads it. Stop
  // sending, then read and drop what comes until the client closes (or the
  // 1 s deadline passes).
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  char sink[1024];
  for (;;) {
    auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) break;
  }
  stream.socket().close(ignored);
}

// The slot is no longer this connection's (see ConnectionSlots::admit):
// its wait for a request is cut short, and it closes.
void HttpServer::give_way(ConnectionSlots::Id id) {
  std::lock_guard lock(sessions_mutex_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return;  // it has just ended by itself
  asio::dispatch(it->second->executor(), [session = it->second] { session->give_way(); });
}

void HttpServer::forget(ConnectionSlots::Id id) {
  slots_.release(id);
  {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(id);
  }
  connections_.done();
}

void HttpServer::begin_shutdown() {
  draining_ = true;
  asio::dispatch(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& entry : sessions_)
      asio::dispatch(entry.second->executor(), [session = entry.second] { session->close_if_idle(); });
  }
}

asio::awaitable<bool> HttpServer::drained(std::chrono::steady_clock::time_point deadline) {
  co_return co_await connections_.wait(deadline);
}

}  // namespace permit::server
