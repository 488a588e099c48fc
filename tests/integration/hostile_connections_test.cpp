// Connections that hold a slot without sending a request: idle sockets by
// the thousand, half requests, one address taking every slot. None of them
// may keep the platform's messages out.

#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/socket_flood.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <iostream>

#include <poll.h>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Whether the server has closed the socket within `limit` (it reads EOF or
// a reset), without consuming anything it may have sent before.
bool closed_within(asio::ip::tcp::socket& socket, std::chrono::milliseconds limit) {
  pollfd fd{socket.native_handle(), POLLRDHUP, 0};
  if (::poll(&fd, 1, static_cast<int>(limit.count())) <= 0) return false;
  return (fd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

asio::ip::tcp::socket connect_from(asio::io_context& ioc, const std::string& source, std::uint16_t port) {
  asio::ip::tcp::socket socket(ioc);
  socket.open(asio::ip::tcp::v4());
  socket.bind({asio::ip::make_address(source), 0});
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  return socket;
}

// A message as the platform sends it: up to 3 attempts in all, the same
// MsgId each time; an attempt gives up after 5 s. (The platform spaces its
// attempts by its 5 s wait; a refused one comes back at once, so here they
// are 1 s apart.)
HttpReply send_like_the_platform(const WechatClient& platform, const std::string& openid, std::uint64_t msg_id,
                                 const std::string& text, int& attempts) {
  HttpReply reply;
  for (attempts = 1;; ++attempts) {
    reply = platform.send_text(openid, msg_id, text);
    if (reply.status == 200 || attempts == 3) return reply;
    std::this_thread::sleep_for(1s);  // the platform's pause between attempts, not a wait for state
  }
}

TEST(HostileConnections, ThousandsOfIdleAndStalledSocketsDoNotLockThePlatformOut) {
  // 1,024 slots, 256 per address, 30 s idle, 5 s per request: the shipped
  // settings.
  RedisServer redis;
  BotProcess bot(redis.url());
  ASSERT_TRUE(SocketFlood::allow_descriptors(8192)) << "this test needs room for thousands of sockets";
  WechatClient platform(bot.port());
  platform.answer_timeout(5s);

  // 2,000 sockets that connect and say nothing, from eight addresses, and
  // 200 that send half a request and stall, from two more: twice what the
  // bot has slots. Each one the bot closes comes back at once, so ~1,200
  // wait in the listen queue, ahead of each of the platform's connections.
  SocketFlood idle(bot.port(), {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7",
                                "127.0.0.8", "127.0.0.9"},
                   250, "", 30s);
  SocketFlood stalled(bot.port(), {"127.0.0.10", "127.0.0.11"}, 100,
                      "POST /wechat?signature=x HTTP/1.1\r\nHost: bot\r\nContent-Le", 30s);
  ASSERT_TRUE(eventually([&] { return idle.connections() >= idle.sockets() && stalled.connections() >= 200; }, 10s))
      << "the flood never got going: " << idle.connections() << " idle, " << stalled.connections() << " stalled";

  // Meanwhile the platform keeps pushing messages; every one is answered.
  constexpr int kMessages = 10;
  int retried = 0;
  for (int i = 0; i < kMessages; ++i) {
    int attempts = 0;
    const std::string openid = "stu_flood" + std::to_string(i);
    auto reply = send_like_the_platform(platform, openid, 9000 + i, "hello", attempts);
    ASSERT_EQ(reply.status, 200) << "message " << i << " after " << attempts << " attempts: " << reply.body
                                 << "\n(idle sockets connected now: " << idle.connected() << ")";
    EXPECT_NE(reply.content.find("Which university"), std::string::npos) << "message " << i << ": " << reply.content;
    retried += attempts - 1;
  }
  // The flood was on all along: the bot was full, and made room. (An
  // attempt may time out behind the queue on a slow machine, as it would
  // for the platform: retries are the platform's answer to that.)
  EXPECT_GT(idle.closed(), 0) << "no idle socket ever gave way; the bot was never full";
  std::cout << "platform retries: " << retried << ", idle sockets closed by the bot: " << idle.closed() << "\n";
  idle.stop();
  stalled.stop();
  EXPECT_EQ(http_request(bot.port(), "GET", "/healthz").status, 200);
}

TEST(HostileConnections, ANewConnectionMustSendItsRequestWithinTheRequestDeadlineNotTheIdleTimeout) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--config", temp_config(R"("timeouts_ms": {"idle": 30000, "request": 300})")});
  asio::io_context ioc;
  const auto port = bot.port();
  auto silent = connect_from(ioc, "127.0.0.1", port);
  auto half = connect_from(ioc, "127.0.0.1", port);
  asio::write(half, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  EXPECT_TRUE(closed_within(silent, 5s)) << "a connection that sent nothing was kept";
  EXPECT_TRUE(closed_within(half, 5s)) << "a connection that sent half a header was kept";

  // A connection that has been answered waits for its next request for the
  // idle timeout, not the request deadline...
  auto kept = connect_from(ioc, "127.0.0.1", port);
  asio::write(kept, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")));
  asio::streambuf answer;
  asio::read_until(kept, answer, "ok");
  EXPECT_FALSE(closed_within(kept, 1500ms)) << "a kept-alive connection was closed by the request deadline";
  // ...and once its next request begins, that request has the deadline.
  asio::write(kept, asio::buffer(std::string("GET /healthz HTTP/1.1\r\n")));
  EXPECT_TRUE(closed_within(kept, 5s)) << "a half request on a kept-alive connection was waited for";
}

TEST(HostileConnections, OneClientAddressCannotTakeEverySlot) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--config", temp_config(R"("max_connections": 8, "max_connections_per_address": 4)")});
  asio::io_context ioc;
  // Eight connections from one address, each with a request under way that
  // it never finishes (within the 5 s request deadline). The first four
  // are seen to have begun their requests before the next connects: one
  // still waiting for its first byte would rightly give way to a newcomer
  // instead of the newcomer being refused. (The /metrics request is itself
  // under way while it is answered: hence the + 2.)
  std::vector<asio::ip::tcp::socket> stalled;
  for (int i = 0; i < 8; ++i) {
    stalled.push_back(connect_from(ioc, "127.0.0.2", bot.port()));
    asio::write(stalled.back(), asio::buffer(std::string("POST /wechat HTTP/1.1\r\nHost: x\r\n")));
    if (i < 4) {
      const auto expected = std::to_string(i + 2);
      ASSERT_TRUE(eventually([&] { return bot_metric(bot.port(), "permit_requests_under_way") == expected; }, 3s))
          << "request " << i << " never seen under way";
    }
  }
  // Four of them are refused at once, and say why; the other four are
  // kept (until their 5 s deadline).
  auto closed_now = [&] {
    int n = 0;
    for (auto& socket : stalled) n += closed_within(socket, 0ms) ? 1 : 0;
    return n;
  };
  EXPECT_TRUE(eventually([&] { return closed_now() >= 4; }, 3s));
  EXPECT_EQ(closed_now(), 4);
  int refused = 0;
  for (auto& socket : stalled) {
    if (!closed_within(socket, 0ms)) continue;
    // (All of it, to the server's close: one read may hold only part.)
    std::string answer;
    boost::system::error_code ec;
    for (char chunk[256]; !ec;) answer.append(chunk, socket.read_some(asio::buffer(chunk), ec));
    if (answer.find(" 503 ") != std::string::npos && answer.find("from this address") != std::string::npos)
      ++refused;
  }
  EXPECT_EQ(refused, 4);
  // The platform, from another address, is served meanwhile.
  WechatClient platform(bot.port());
  platform.answer_timeout(5s);
  auto reply = platform.send_text("stu_capped", 1, "hello");
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_NE(reply.content.find("Which university"), std::string::npos) << reply.content;
}

}  // namespace
}  // namespace permit::testing
