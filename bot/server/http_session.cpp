#include "bot/server/http_session.hpp"

#include "bot/server/http_server.hpp"
#include "bot/server/response_bytes.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <tuple>

namespace permit::server {
namespace asio = boost::asio;
namespace beast = boost::beast;

HttpSession::HttpSession(HttpServer& server, asio::ip::tcp::socket socket, ConnectionSlots::Id slot)
    : server_(server), stream_(std::move(socket)), slot_(slot), accepted_(std::chrono::steady_clock::now()) {
  beast::error_code ec;
  const auto remote = stream_.socket().remote_endpoint(ec);
  if (!ec) peer_ = remote.address().to_string();
  // Only the synchronous writes of write() see this: they return
  // would_block instead of waiting. Asio's own operations are unchanged.
  stream_.socket().non_blocking(true, ec);
}

void HttpSession::close_if_idle() {
  // Not closed from here: the read is cancelled, and run() decides. A
  // request that has begun to arrive (or whose read has completed but not
  // yet resumed run()) is read and answered; only a connection with nothing
  // from its client ends at once.
  if (!idle_) return;
  stream_.cancel();
}

void HttpSession::give_way() {
  // Only a wait for a request can be cut: the slot is taken from a
  // connection only while it waits, and it cannot start a request after.
  // The flag covers a session told before its first read began.
  gave_way_ = true;
  stream_.cancel();
}

bool HttpSession::input_pending(const http::request_parser<http::string_body>& parser) {
  if (parser.got_some() || buffer_.size() > 0) return true;
  beast::error_code ec;
  const std::size_t waiting = stream_.socket().available(ec);
  return !ec && waiting > 0;
}

beast::error_code HttpSession::parse_buffered(http::request_parser<http::string_body>& parser) {
  parser.eager(true);  // the body too, as http::async_read has it
  beast::error_code ec;
  while (!parser.is_done() && buffer_.size() > 0) {
    const std::size_t used = parser.put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == http::error::need_more) return {};  // the rest is read from the stream
    if (ec || used == 0) break;
  }
  return ec;
}

asio::awaitable<bool> HttpSession::write(Response response, std::string_view path) {
  // Counted before the write, so a client that reads the response and then
  // asks /metrics always sees it.
  server_.observer_(path, response.result_int());
  stream_.expires_after(server_.options_.idle_timeout);
  if (auto bytes = response_bytes(response)) {
    // Handed to the socket at once: it nearly always takes the whole
    // response, and an async_write completes through a post even then.
    // What it does not take is written as before, within the timeout.
    std::size_t sent = 0;
    if (stream_.socket().non_blocking()) {
      beast::error_code ec;
      sent = stream_.socket().write_some(asio::buffer(*bytes), ec);
      if (ec && ec != asio::error::would_block) co_return false;
      if (sent == bytes->size()) co_return true;
    }
    auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(*bytes) + sent,
                                              asio::as_tuple(asio::use_awaitable));
    co_return !ec;
  }
  auto [ec, n] = co_await http::async_write(stream_, response, asio::as_tuple(asio::use_awaitable));
  co_return !ec;
}

// After refusing a request whose rest is still arriving, stop sending and
// read (and drop) what the client sends for a moment: closing with unread
// data would reset the connection and the client might never see the answer.
asio::awaitable<void> HttpSession::linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(std::chrono::milliseconds(500));
  std::array<char, 16 * 1024> sink;
  for (std::size_t drained = 0; drained < 1024 * 1024;) {
    auto [ec, n] = co_await stream_.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (ec) break;
    drained += n;
  }
}

asio::awaitable<beast::error_code> HttpSession::await_request(std::chrono::steady_clock::time_point deadline) {
  stream_.expires_at(deadline);
  auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), asio::as_tuple(asio::use_awaitable));
  buffer_.commit(n);
  co_return ec;
}

asio::awaitable<void> HttpSession::run() {
  const auto& options = server_.options_;
  const auto request_window = std::min(options.request_timeout, options.idle_timeout);
  // A new connection's first request is timed from the connect: opening a
  // socket and sending nothing must not hold a slot for the idle timeout.
  auto request_began = accepted_;
  bool kept_alive = false;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    idle_ = true;
    // Shutting down: a connection with nothing from its client ends here; a
    // request already on its way is still read and answered (then the
    // connection closes).
    if ((server_.draining_ && !input_pending(parser)) || gave_way_) break;
    if (buffer_.size() == 0) {
      // Waiting, and evictable (give_way): a kept-alive connection for the
      // idle timeout, a new one within its request's deadline.
      auto ec = co_await await_request(kept_alive ? std::chrono::steady_clock::now() + options.idle_timeout
                                                  : request_began + request_window);
      // Cancelled by close_if_idle: go on only if the request had begun to
      // arrive (it is then read within its own deadline).
      if (ec && !(ec == asio::error::operation_aborted && server_.draining_ && input_pending(parser))) break;
      if (kept_alive) request_began = std::chrono::steady_clock::now();
    } else if (kept_alive) {
      request_began = std::chrono::steady_clock::now();  // pipelined: already here
    }
    if (!server_.slots_.start_request(slot_)) break;  // gave way meanwhile: the slot is another's
    idle_ = false;
    // The whole request within one deadline from its first byte, so a
    // trickling client holds its slot only that long.
    stream_.expires_at(request_began + request_window);
    // A request nearly always arrives whole with the read that woke this
    // connection. Parsed from the buffer here, it needs no http::async_read,
    // which completes through a post even when it has nothing to read; only
    // what is still missing is read.
    auto ec = parse_buffered(parser);
    if (!ec && !parser.is_done()) {
      auto [read_ec, bytes] = co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
      ec = read_ec;
    }
    if (ec == http::error::body_limit) {
      std::string path(target_path(parser.get().target()));
      auto response = make_response(http::status::payload_too_large, "request body too large\n");
      co_await write(std::move(response), path);
      co_await linger();
      break;
    }
    if (ec == http::error::header_limit) {
      auto response = make_response(http::status::request_header_fields_too_large, "request headers too large\n");
      co_await write(std::move(response), "");
      co_await linger();
      break;
    }
    if (ec) {
      // A clean close, a timeout or a reset ends the connection quietly; a
      // request that does not parse gets a 400 first.
      const bool parse_error = ec.category() == http::make_error_code(http::error::bad_method).category() &&
                               ec != http::error::end_of_stream && ec != http::error::partial_message;
      if (parse_error)
      {
        auto response = make_response(http::status::bad_request, "malformed HTTP request\n");
        co_await write(std::move(response), "");
      }
      break;
    }

    Request request = parser.release();
    // The handlers see who is calling (the console's sign-in throttle);
    // set here, so a client cannot choose it.
    request.set(kPeerHeader, peer_);
    std::string path(target_path(request.target()));
    bool keep_alive = request.keep_alive();
    unsigned version = request.version();
    Response response = co_await server_.handler_(std::move(request));
    response.version(version);
    response.keep_alive(keep_alive && !server_.draining_);
    bool close = !response.keep_alive();
    if (!co_await write(std::move(response), path) || close) break;
    kept_alive = true;
    server_.slots_.wait_for_request(slot_);
  }
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace permit::server
