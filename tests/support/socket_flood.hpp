#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace permit::testing {

// Hostile clients for a server on 127.0.0.1: `per_source` sockets from each
// of the given loopback source addresses (any of 127.0.0.0/8, so that the
// server sees several clients), each of which connects, sends `first_bytes`
// (nothing, or half a request) and then nothing more. A socket the server
// closes is opened again at once, until stop() or `limit` has passed, so the
// pressure stays up. Runs on a thread of its own.
class SocketFlood {
 public:
  SocketFlood(std::uint16_t port, std::vector<std::string> sources, int per_source, std::string first_bytes = "",
              std::chrono::seconds limit = std::chrono::seconds(60));
  ~SocketFlood();
  SocketFlood(const SocketFlood&) = delete;
  SocketFlood& operator=(const SocketFlood&) = delete;

  // Sockets connected right now.
  int connected() const { return connected_.load(); }
  // Connections made so far, and how many of them the server answered 503.
  int connections() const { return connections_.load(); }
  int refused() const { return refused_.load(); }
  // How many the server closed without a word.
  int closed() const { return closed_.load(); }
  int sockets() const { return static_cast<int>(sockets_); }
  void stop();

  // Raises this process's open-file limit (soft, up to the hard one) so a
  // test can hold thousands of sockets; false if it cannot reach `wanted`.
  static bool allow_descriptors(std::size_t wanted);

 private:
  struct Client;
  void open(std::shared_ptr<Client> client);
  void read(std::shared_ptr<Client> client);

  boost::asio::io_context ioc_;
  std::uint16_t port_;
  std::string first_bytes_;
  std::size_t sockets_ = 0;
  std::chrono::steady_clock::time_point give_up_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connected_{0}, connections_{0}, refused_{0}, closed_{0};
  std::vector<std::shared_ptr<Client>> clients_;
  std::thread thread_;
};

}  // namespace permit::testing
