#pragma once

#include "bot/server/connection_slots.hpp"
#include "bot/server/http_types.hpp"
#include "bot/util/wait_group.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <chrono>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace permit::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::size_t max_connections = 1024;
  // No cap of its own unless set: behind a proxy every client has one address.
  std::size_t max_connections_per_address = std::numeric_limits<std::size_t>::max();
  // Between requests on a kept-alive connection.
  std::chrono::milliseconds idle_timeout{30000};
  // A request, header and body, from its first byte (on a new connection,
  // from the connect); never longer than idle_timeout.
  std::chrono::milliseconds request_timeout{5000};
  // The platform's messages are small; anything larger is abuse.
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 8 * 1024;
};

class HttpSession;

// Accepts connections and runs each on its own strand with keep-alive.
class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, ServerOptions options, RequestHandler handler, ResponseObserver observer);
  ~HttpServer();

  // Binds and listens; returns the bound endpoint (port 0 picks a free one).
  [[nodiscard]] boost::system::result<boost::asio::ip::tcp::endpoint> listen();
  void start();

  // Stops accepting and closes the connections that wait for a request with
  // nothing of it received; the others close once their request is
  // answered.
  void begin_shutdown();
  // Waits until every connection has closed or the deadline passes. True if
  // all did.
  boost::asio::awaitable<bool> drained(std::chrono::steady_clock::time_point deadline);

  std::size_t open_connections() const { return connections_.count(); }
  std::size_t requests_under_way() const { return slots_.under_way(); }

 private:
  friend class HttpSession;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> refuse(boost::asio::ip::tcp::socket socket, Refusal why);
  void give_way(ConnectionSlots::Id id);
  void forget(ConnectionSlots::Id id);

  boost::asio::io_context& ioc_;
  ServerOptions options_;
  RequestHandler handler_;
  ResponseObserver observer_;
  boost::asio::ip::tcp::acceptor acceptor_;
  util::WaitGroup connections_;
  ConnectionSlots slots_;
  std::atomic<bool> draining_{false};
  std::mutex sessions_mutex_;
  std::unordered_map<ConnectionSlots::Id, std::shared_ptr<HttpSession>> sessions_;
};

}  // namespace permit::server
