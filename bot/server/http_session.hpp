#pragma once

#include "bot/server/connection_slots.hpp"
#include "bot/server/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace permit::server {

class HttpServer;

// Reads and answers the requests of one keep-alive connection. Everything
// here runs on the connection's strand.
class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(HttpServer& server, boost::asio::ip::tcp::socket socket, ConnectionSlots::Id slot);

  boost::asio::awaitable<void> run();

  // Called on shutdown: a connection waiting for its next request, with
  // nothing of it received, is closed now; one whose request has begun to
  // arrive, or is being handled, closes after answering it.
  void close_if_idle();
  // Its slot went to a new connection while it waited for a request: the
  // wait ends, and so does the connection.
  void give_way();

  boost::beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  boost::asio::awaitable<bool> write(Response response, std::string_view path);
  boost::asio::awaitable<void> linger();
  // Waits for the first bytes of the next request, until `deadline`.
  boost::asio::awaitable<boost::beast::error_code> await_request(std::chrono::steady_clock::time_point deadline);
  // Whether any of the next request has arrived (parsed, buffered, or
  // waiting in the socket).
  bool input_pending(const http::request_parser<http::string_body>& parser);
  // Parses what the buffer holds, as http::async_read does before it reads.
  boost::beast::error_code parse_buffered(http::request_parser<http::string_body>& parser);

  HttpServer& server_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  ConnectionSlots::Id slot_;
  std::chrono::steady_clock::time_point accepted_;
  bool idle_ = true;
  bool gave_way_ = false;
  std::string peer_;  // the client's address
};

}  // namespace permit::server
