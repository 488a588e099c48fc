// The outbound HTTP client against a local HTTPS server whose certificate
// is signed by a CA made for the test (openssl CLI): trusted through the
// configured CA file, it succeeds for the name on the certificate and
// fails for another name or without the CA; and keep-alive: one
// connection serves many requests.

#include "bot/outbound/http_client.hpp"
#include "tests/support/async_runner.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sim_process.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// Runs the openssl CLI; true if it exited 0.
bool openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "openssl");
  ChildProcess child(args, false, "/dev/null");
  return child.wait() == 0;
}

// A CA and a server certificate for "localhost" signed by it, in a
// temporary directory; and a second CA that signed nothing.
class Certificates {
 public:
  Certificates() {
    char tmpl[] = "/tmp/permit-tls-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::ofstream(path("server.ext")) << "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
                                         "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n";
    const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
    for (const char* ca : {"ca", "other-ca"}) {
      std::vector<std::string> args{"req", "-x509", "-days", "1", "-subj", std::string("/CN=permit-bot test ") + ca,
                                    "-keyout", path(std::string(ca) + ".key"), "-out", path(std::string(ca) + ".pem")};
      args.insert(args.end(), ec_key.begin(), ec_key.end());
      ok_ = ok_ && openssl(args);
    }
    std::vector<std::string> csr{"req", "-subj", "/CN=localhost", "-keyout", path("server.key"), "-out",
                                 path("server.csr")};
    csr.insert(csr.end(), ec_key.begin(), ec_key.end());
    ok_ = ok_ && openssl(csr) &&
          openssl({"x509", "-req", "-days", "1", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey",
                   path("ca.key"), "-CAcreateserial", "-extfile", path("server.ext"), "-out", path("server.pem")});
  }
  ~Certificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  bool ok() const { return ok_; }
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
  bool ok_ = true;
};

// An HTTPS server on 127.0.0.1 with the server certificate. It answers
// every request with its target, keeps connections alive, counts the
// connections it accepted, and closes a connection that has been idle for
// `idle_close` (as servers do).
class TlsServer {
 public:
  TlsServer(asio::io_context& ioc, const Certificates& certs, std::chrono::milliseconds idle_close)
      : ioc_(ioc), tls_(asio::ssl::context::tls_server), acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}),
        idle_close_(idle_close) {
    tls_.use_certificate_chain_file(certs.path("server.pem"));
    tls_.use_private_key_file(certs.path("server.key"), asio::ssl::context::pem);
    asio::co_spawn(ioc_, accept(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  int closed() const { return closed_; }
  void stop() {
    asio::post(ioc_, [this] { acceptor_.close(); });
  }

 private:
  asio::awaitable<void> accept() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return;
      ++connections_;
      asio::co_spawn(ioc_, serve(std::move(socket)), [this](std::exception_ptr) { ++closed_; });
    }
  }
  asio::awaitable<void> serve(tcp::socket socket) {
    auto token = asio::as_tuple(asio::use_awaitable);
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls_);
    beast::get_lowest_layer(stream).expires_after(5s);
    auto [handshake_ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, token);
    if (handshake_ec) co_return;
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      beast::get_lowest_layer(stream).expires_after(idle_close_);
      auto [read_ec, read] = co_await http::async_read(stream, buffer, request, token);
      if (read_ec) co_return;  // idle too long, or the client closed: the socket closes
      ++requests_;
      http::response<http::string_body> response{http::status::ok, 11};
      response.set(http::field::content_type, "application/json");
      response.body() = "{\"errcode\":0,\"target\":\"" + std::string(request.target()) + "\"}";
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      beast::get_lowest_layer(stream).expires_after(5s);
      auto [write_ec, written] = co_await http::async_write(stream, response, token);
      if (write_ec || !request.keep_alive()) co_return;
    }
  }

  asio::io_context& ioc_;
  asio::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::chrono::milliseconds idle_close_;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::atomic<int> closed_{0};
};

class HttpClientTls : public ::testing::Test {
 protected:
  // The server needs the certificates: it starts only once they were made,
  // so a failed openssl run is reported as such.
  void SetUp() override {
    ASSERT_TRUE(certs.ok());
    server.emplace(runner.context(), certs, 300ms);
  }
  ~HttpClientTls() override {
    if (server) server->stop();
    runner.stop();
  }

  boost::system::result<outbound::HttpResult> get(outbound::HttpClient& client, const std::string& host,
                                                  const std::string& target = "/cgi-bin/ping") {
    outbound::BaseUrl base{true, host, server->port(), ""};
    return runner.run(client.request(base, http::verb::post, target, "{}"));
  }

  Certificates certs;
  AsyncRunner runner{1};
  std::optional<TlsServer> server;
};

TEST_F(HttpClientTls, TrustedThroughTheCaFileItSucceedsForTheNameOnTheCertificate) {
  outbound::HttpClient client(runner.executor(), 5s, certs.path("ca.pem"));
  EXPECT_FALSE(client.ca_error());
  auto answer = get(client, "localhost");
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(answer->status, 200u);
  EXPECT_EQ(answer->body, R"({"errcode":0,"target":"/cgi-bin/ping"})");
}

TEST_F(HttpClientTls, AnotherNameOrAnUntrustedCaIsRefused) {
  // The certificate names localhost, not 127.0.0.1.
  outbound::HttpClient trusting(runner.executor(), 5s, certs.path("ca.pem"));
  auto wrong_name = get(trusting, "127.0.0.1");
  ASSERT_FALSE(wrong_name);
  EXPECT_EQ(wrong_name.error().category(), asio::error::get_ssl_category()) << wrong_name.error().message();
  // Without our CA (the system store only), or trusting another CA.
  outbound::HttpClient system_only(runner.executor(), 5s);
  auto untrusted = get(system_only, "localhost");
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().category(), asio::error::get_ssl_category()) << untrusted.error().message();
  outbound::HttpClient other(runner.executor(), 5s, certs.path("other-ca.pem"));
  EXPECT_FALSE(get(other, "localhost"));
  // None of the refused handshakes reached a request.
  EXPECT_EQ(server->requests(), 0);
  // A CA file that cannot be read is reported.
  outbound::HttpClient missing(runner.executor(), 5s, certs.path("no-such.pem"));
  EXPECT_TRUE(missing.ca_error());
}

TEST_F(HttpClientTls, OneConnectionServesManyRequestsAndAClosedOneIsReplaced) {
  outbound::HttpClient client(runner.executor(), 5s, certs.path("ca.pem"));
  for (int i = 0; i < 50; ++i) {
    auto answer = get(client, "localhost", "/n/" + std::to_string(i));
    ASSERT_TRUE(answer) << i << ": " << answer.error().message();
    EXPECT_EQ(answer->body, R"({"errcode":0,"target":"/n/)" + std::to_string(i) + "\"}");
  }
  EXPECT_EQ(server->requests(), 50);
  EXPECT_EQ(server->connections(), 1);
  EXPECT_EQ(client.connections_opened(), 1u);
  // The server closes the connection after 300 ms idle: the next request
  // sees that before sending and opens a new one.
  ASSERT_TRUE(eventually([&] { return server->closed() == 1; }));
  auto after_idle = get(client, "localhost", "/after-idle");
  ASSERT_TRUE(after_idle) << after_idle.error().message();
  EXPECT_EQ(server->connections(), 2);
  EXPECT_EQ(client.connections_opened(), 2u);
}

TEST(BotConfig, ACaFileThatCannotBeReadStopsTheBot) {
  auto result = run_bot({"--config", temp_config(R"("outbound": {"ca_file": "/nonexistent/ca.pem"})"), "--listen",
                         "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--wechat-secret", "s",
                         "--redis", "redis://127.0.0.1:1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.stderr_text.find("/nonexistent/ca.pem"), std::string::npos) << result.stderr_text;
}

}  // namespace
}  // namespace permit::testing
