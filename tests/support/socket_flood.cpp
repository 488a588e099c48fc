#include "tests/support/socket_flood.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <sys/resource.h>

namespace permit::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

struct SocketFlood::Client {
  Client(asio::io_context& ioc, asio::ip::address source) : source(source), socket(ioc), pause(ioc) {}
  asio::ip::address source;
  tcp::socket socket;
  asio::steady_timer pause;
  std::array<char, 512> buffer{};
  std::string received;
};

SocketFlood::SocketFlood(std::uint16_t port, std::vector<std::string> sources, int per_source,
                         std::string first_bytes, std::chrono::seconds limit)
    : port_(port), first_bytes_(std::move(first_bytes)), give_up_(std::chrono::steady_clock::now() + limit) {
  for (const auto& source : sources)
    for (int i = 0; i < per_source; ++i)
      clients_.push_back(std::make_shared<Client>(ioc_, asio::ip::make_address(source)));
  sockets_ = clients_.size();
  for (auto& client : clients_) open(client);
  thread_ = std::thread([this] { ioc_.run(); });
}

SocketFlood::~SocketFlood() { stop(); }

void SocketFlood::stop() {
  if (stopping_.exchange(true)) return;
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
  for (auto& client : clients_) {
    boost::system::error_code ignored;
    client->socket.close(ignored);
  }
}

void SocketFlood::open(std::shared_ptr<Client> client) {
  if (stopping_ || std::chrono::steady_clock::now() > give_up_) return;
  auto again_soon = [this, client] {
    // Out of ports or refused: try again shortly rather than spin.
    client->pause.expires_after(std::chrono::milliseconds(20));
    client->pause.async_wait([this, client](boost::system::error_code) { open(client); });
  };
  boost::system::error_code ec;
  client->socket = tcp::socket(ioc_);
  client->socket.open(tcp::v4(), ec);
  if (!ec) client->socket.bind({client->source, 0}, ec);
  if (ec) return again_soon();
  tcp::endpoint server(asio::ip::make_address("127.0.0.1"), port_);
  client->socket.async_connect(server, [this, client, again_soon](boost::system::error_code connected) {
    if (connected) return again_soon();
    ++connections_;
    ++connected_;
    if (!first_bytes_.empty())
      asio::async_write(client->socket, asio::buffer(first_bytes_), [](boost::system::error_code, std::size_t) {});
    read(client);
  });
}

// Until the server closes: a 503 first, or nothing at all. Then again.
void SocketFlood::read(std::shared_ptr<Client> client) {
  client->socket.async_read_some(asio::buffer(client->buffer), [this, client](boost::system::error_code e,
                                                                             std::size_t n) {
    if (!e) {
      client->received.append(client->buffer.data(), n);
      return read(client);
    }
    --connected_;
    if (client->received.find(" 503 ") != std::string::npos) ++refused_;
    else ++closed_;
    client->received.clear();
    boost::system::error_code ignored;
    client->socket.close(ignored);
    open(client);
  });
}

bool SocketFlood::allow_descriptors(std::size_t wanted) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur >= wanted) return true;
  limit.rlim_cur = std::min<rlim_t>(wanted, limit.rlim_max);
  return setrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur >= wanted;
}

}  // namespace permit::testing
