// Limits and the reply budget, each with a config file of its own: the
// connection cap, the idle timeout, and the late reply that goes to the
// outbound seam when Redis is too slow for the platform's 5 seconds.

#include "bot/inbound/late_reply_queue.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/key_tags.hpp"
#include "tests/support/sim_process.hpp"
#include "tests/support/redis_server.hpp"
#include "tests/support/wechat_client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <csignal>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <poll.h>

namespace permit::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A bot with some of the repository's settings replaced, on a Redis of its
// own, and a student who has written once (their conversation is in Redis
// and in the bot's cache).
struct WarmBot {
  WarmBot(const std::string& settings, const std::string& openid)
      : bot(redis.url(), {"--config", temp_config(settings)}), client(bot.port()) {
    // (Thrown: the test stops here, as an ASSERT would.)
    const int status = client.send_text(openid, 1, "warm").status;
    if (status != 200) throw std::runtime_error("the warm-up message got " + std::to_string(status));
  }
  RedisServer redis;
  BotProcess bot;
  WechatClient client;
};

// A connection that only waits gives way to a new one (see
// connection_slots_test.cpp); 503 is for a bot whose every slot holds a
// request under way.
TEST(Limits, ConnectionsPastTheCapAreRefusedWith503WhileEveryOneHasARequestUnderWay) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--config", temp_config(R"("max_connections": 2)")});
  asio::io_context ioc;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), bot.port());
  // Each holds a slot with half a request (for the 5 s request deadline).
  std::vector<asio::ip::tcp::socket> held;
  auto hold = [&] {
    asio::ip::tcp::socket socket(ioc);
    socket.connect(endpoint);
    asio::write(socket, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
    return socket;
  };
  held.push_back(hold());
  held.push_back(hold());
  // A connection that comes before the bot has read a half request may
  // take that one's slot (it was only waiting then): hold it again.
  HttpReply third;
  const bool refused = eventually([&] {
    for (auto& socket : held) {
      pollfd fd{socket.native_handle(), POLLRDHUP, 0};
      if (::poll(&fd, 1, 0) > 0) socket = hold();
    }
    third = http_request(bot.port(), "GET", "/healthz");
    return third.status == 503;
  }, 5s);
  ASSERT_TRUE(refused) << "third connection was never refused; last: " << third.status << " " << third.body;
  EXPECT_NE(third.body.find("too many connections"), std::string::npos);
  held.clear();
  // Once they are gone, new connections are served again.
  EXPECT_TRUE(eventually([&] { return http_request(bot.port(), "GET", "/healthz").status == 200; }, 5s))
      << "capacity did not come back";
}

TEST(Limits, IdleConnectionIsClosedByTheServer) {
  RedisServer redis;
  BotProcess bot(redis.url(), {"--config", temp_config(R"("timeouts_ms": {"idle": 200})")});
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  socket.connect({asio::ip::make_address("127.0.0.1"), bot.port()});
  // Send half a request and stall: the server must give up and close.
  asio::write(socket, asio::buffer(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\n")));
  auto started = std::chrono::steady_clock::now();
  char byte;
  boost::system::error_code ec;
  asio::read(socket, asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(ReplyBudget, ReplyNotReadyInTimeIsAnsweredSuccessAndQueuedForTheSender) {
  WarmBot warm(R"("timeouts_ms": {"reply_budget": 100})", "stu_late");
  auto& [redis, bot, client] = warm;

  // Freeze Redis past the budget but within the command timeout.
  auto stall = redis.stall(0.5);
  auto reply = client.send_text("stu_late", 2, "cqupt");
  stall.join();
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, "success");

  // The reply reaches the outbound stream once the commit is through.
  std::string entries;
  eventually([&] {
    entries = redis.command({"XRANGE", core::LateReplyQueue::kStream, "-", "+"});
    return entries.find("University: CQUPT") != std::string::npos;
  });
  EXPECT_NE(entries.find("stu_late"), std::string::npos) << entries;
  EXPECT_NE(entries.find("University: CQUPT"), std::string::npos) << entries;
  EXPECT_EQ(redis.command({"HGET", "{u:stu_late}:conv", "v"}), "2");

  // A retry of that message is answered from the stored reply; it is not
  // queued a second time.
  auto retry = client.send_text("stu_late", 2, "cqupt");
  EXPECT_NE(retry.content.find("University: CQUPT"), std::string::npos) << retry.content;
  EXPECT_EQ(redis.command({"XLEN", core::LateReplyQueue::kStream}), "1");
  auto metrics = http_request(bot.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("permit_late_replies_total 1"), std::string::npos);
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

TEST(ReplyBudget, AMessageThatCannotBeHeldIsRefusedSoThePlatformRetries) {
  WarmBot warm(R"("timeouts_ms": {"reply_budget": 100, "redis_command": 300})", "stu_frozen");
  auto& [redis, bot, client] = warm;

  // Redis is connected but answers nothing for longer than a command may
  // wait: the budget runs out, and so does the attempt to hold the message.
  // "success" would tell the platform it has been taken care of; it has
  // not been, so the answer is 503.
  {
    auto stall = redis.stall(1.5);
    auto reply = client.send_text("stu_frozen", 2, "cqupt");
    EXPECT_EQ(reply.status, 503) << reply.body;
  }
  // The platform retries once Redis is back, and the reply comes in the
  // answer (the first attempt's commit, if it went through, is reused).
  HttpReply retry;
  EXPECT_TRUE(eventually([&] {
    retry = client.send_text("stu_frozen", 2, "cqupt");
    return retry.content.find("University: CQUPT") != std::string::npos;
  })) << retry.status << " " << retry.body;
  EXPECT_EQ(redis.command({"HGET", "{u:stu_frozen}:conv", "v"}), "2");
  EXPECT_EQ(redis.command({"EXISTS", "{u:stu_frozen}:inbox"}), "0");
  EXPECT_TRUE(every_key_has_a_hash_tag(redis));
}

// The drain deadline bounds the whole shutdown. Redis frozen for longer than
// that, with commands allowed to wait 20 s: a request and a sweep of held
// messages are stuck on it, and the process still ends soon after the
// deadline, with exit code 3 (what was acknowledged is in Redis already).
TEST(Shutdown, EndsSoonAfterItsDeadlineWhenWorkIsStuck) {
  WarmBot warm(R"("timeouts_ms": {"drain": 1500, "redis_command": 20000})", "stu_stuck");
  auto& [redis, bot, client] = warm;

  auto stall = redis.stall(9);
  HttpReply stuck;
  std::thread sender([&] { stuck = client.send_text("stu_stuck", 2, "cqupt"); });
  // The message is in the bot (its connection is open) when the stop comes.
  ASSERT_TRUE(eventually([&] {
    const std::string open = bot_metric(bot.port(), "permit_open_connections");
    return !open.empty() && std::stoi(open) >= 2;
  }, 5s));
  const auto signalled = std::chrono::steady_clock::now();
  bot.signal(SIGTERM);
  // Within the 1.5 s of draining, the once-a-second sweep of held messages
  // has begun a look at Redis and waits on it; so does the message. Neither
  // holds the exit past the deadline.
  EXPECT_EQ(bot.wait(), 3) << bot.log();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 7s) << "shutdown waited for Redis, not for its deadline";
  sender.join();
  EXPECT_EQ(stuck.status, 0) << "the unanswered request's connection ends with the process";
  EXPECT_NE(bot.log().find("shutdown passed its deadline"), std::string::npos) << bot.log();
}

}  // namespace
}  // namespace permit::testing
