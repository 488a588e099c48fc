#include "bot/redis/sentinel.hpp"

#include "bot/redis/redis_error.hpp"
#include "bot/redis/reply.hpp"
#include "bot/redis/resp.hpp"

#include <hiredis/hiredis.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <charconv>
#include <memory>
#include <optional>

namespace permit::redis {
namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

struct ReaderFree {
  void operator()(redisReader* r) const { redisReaderFree(r); }
};

// One sentinel: resolve, connect, [AUTH], ask, read the answers; all
// within `timeout` (the timer cancels the resolver and closes the socket,
// which ends whatever waits on them).
asio::awaitable<std::optional<NodeAddress>> ask_one(asio::any_io_executor executor, NodeAddress sentinel,
                                                    SentinelOptions options) {
  // Shared with the timer's handler, which may run after this returns.
  auto socket = std::make_shared<tcp::socket>(executor);
  auto resolver = std::make_shared<tcp::resolver>(executor);
  auto expired = std::make_shared<bool>(false);
  asio::steady_timer deadline(executor, options.timeout);
  deadline.async_wait([socket, resolver, expired](error_code ec) {
    if (ec) return;
    *expired = true;
    resolver->cancel();
    error_code ignored;
    socket->close(ignored);
  });
  auto finish = [&](std::optional<NodeAddress> answer) {
    deadline.cancel();
    return answer;
  };
  auto [resolve_error, endpoints] = co_await resolver->async_resolve(sentinel.host, std::to_string(sentinel.port),
                                                                    asio::as_tuple(asio::use_awaitable));
  if (resolve_error || *expired) co_return finish(std::nullopt);
  auto [connect_error, connected] = co_await asio::async_connect(*socket, endpoints, asio::as_tuple(asio::use_awaitable));
  if (connect_error || *expired) co_return finish(std::nullopt);

  std::string request;
  int answers = 1;
  if (!options.password.empty()) {
    request += options.user.empty() ? format_command({"AUTH", options.password})
                                    : format_command({"AUTH", options.user, options.password});
    ++answers;
  }
  request += format_command({"SENTINEL", "get-master-addr-by-name", options.master_name});
  auto [write_error, written] = co_await asio::async_write(*socket, asio::buffer(request), asio::as_tuple(asio::use_awaitable));
  if (write_error || *expired) co_return finish(std::nullopt);

  std::unique_ptr<redisReader, ReaderFree> reader(redisReaderCreate());
  if (!reader) co_return finish(std::nullopt);
  std::vector<Value> replies;
  char buffer[1024];
  while (static_cast<int>(replies.size()) < answers) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader.get(), &raw) != REDIS_OK) co_return finish(std::nullopt);
    if (raw != nullptr) {
      replies.push_back(convert(static_cast<redisReply*>(raw)));
      freeReplyObject(raw);
      continue;
    }
    auto [read_error, n] = co_await socket->async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (read_error || *expired) co_return finish(std::nullopt);
    if (redisReaderFeed(reader.get(), buffer, n) != REDIS_OK) co_return finish(std::nullopt);
  }
  // A nil answer: this sentinel does not know the name.
  const Value& where = replies.back();
  if (!where.is_array() || where.elements.size() != 2) co_return finish(std::nullopt);
  const std::string& port_text = where.elements[1].str;
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
    co_return finish(std::nullopt);
  co_return finish(NodeAddress{where.elements[0].str, static_cast<std::uint16_t>(port)});
}

}  // namespace

asio::awaitable<boost::system::result<NodeAddress>> ask_sentinels_for_primary(asio::any_io_executor executor,
                                                                             SentinelOptions options) {
  for (const auto& sentinel : options.sentinels) {
    if (auto primary = co_await ask_one(executor, sentinel, options)) co_return *primary;
  }
  co_return make_error_code(Error::not_connected);
}

}  // namespace permit::redis
