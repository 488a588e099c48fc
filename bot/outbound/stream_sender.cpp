#include "bot/outbound/stream_sender.hpp"

#include "bot/redis/stream_entries.hpp"
#include "bot/util/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::outbound {
namespace asio = boost::asio;
using Fields = redis::StreamFields;

namespace {

std::string get(const Fields& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

// The next midnight in China (UTC+8), when the platform's daily quota resets.
std::int64_t next_china_midnight_unix() {
  using namespace std::chrono;
  auto now = floor<seconds>(system_clock::now()).time_since_epoch().count();
  const std::int64_t offset = 8 * 3600;
  return ((now + offset) / 86400 + 1) * 86400 - offset;
}

}  // namespace

StreamSender::StreamSender(asio::any_io_executor executor, redis::Client& redis, WechatApi& api, RateLimiter& limiter,
                           SenderOptions options)
    : executor_(executor), redis_(redis), api_(api), limiter_(limiter), options_(std::move(options)), task_(executor) {}

void StreamSender::start() { task_.spawn(run()); }

asio::awaitable<void> StreamSender::stop() {
  stopping_ = true;
  co_await task_.join();
}

asio::awaitable<void> StreamSender::sleep(std::chrono::milliseconds d) {
  asio::steady_timer pause(executor_, d);
  co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<bool> StreamSender::paused() {
  std::vector<std::string> get_pause{"GET", kPausedUntil};
  auto until = co_await redis_.exec(std::move(get_pause));
  if (!until || !until->is_string()) co_return false;
  co_return std::atoll(until->str.c_str()) >
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

asio::awaitable<void> StreamSender::run() {
  auto next_claim = std::chrono::steady_clock::now();
  bool group_ready = false;
  while (!stopping_) {
    if (!group_ready) {
      // "0": a first start also delivers what was queued before any sender
      // ran. Retried until Redis answers; BUSYGROUP means it exists.
      std::vector<std::string> create{"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"};
      auto created = co_await redis_.exec(std::move(create));
      group_ready = created && (!created->is_error() || created->str.starts_with("BUSYGROUP"));
      if (!group_ready) co_await sleep(std::chrono::milliseconds(200));
      continue;
    }
    if (co_await paused()) {
      co_await sleep(std::chrono::seconds(1));
      continue;
    }
    std::vector<std::pair<std::string, Fields>> batch;
    if (std::chrono::steady_clock::now() >= next_claim) {
      // Entries a consumer took and never acknowledged (it died, or they
      // wait for a retry) move to this one.
      next_claim = std::chrono::steady_clock::now() + options_.claim_idle / 3;
      std::vector<std::string> claim{"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                                     std::to_string(options_.claim_idle.count()), "0-0", "COUNT",
                                     std::to_string(options_.batch)};
      auto claimed = co_await redis_.exec(std::move(claim));
      if (claimed && claimed->is_array() && claimed->elements.size() >= 2) batch = redis::stream_entries(claimed->elements[1]);
    }
    if (batch.empty()) {
      std::vector<std::string> read{"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                                    std::to_string(options_.batch), "BLOCK", std::to_string(options_.block.count()),
                                    "STREAMS", options_.stream, ">"};
      auto got = co_await redis_.exec(std::move(read));
      if (!got || got->is_error()) {
        // Redis is down (the client reconnects), or the stream and its group
        // were deleted: create the group again.
        if (got && got->str.starts_with("NOGROUP")) group_ready = false;
        co_await sleep(std::chrono::milliseconds(200));
        continue;
      }
      if (got->is_array() && !got->elements.empty() && got->elements[0].is_array() &&
          got->elements[0].elements.size() == 2)
        batch = redis::stream_entries(got->elements[0].elements[1]);
    }
    for (auto& [id, fields] : batch) {
      if (stopping_) break;
      co_await handle(id, std::move(fields));
    }
  }
}

asio::awaitable<void> StreamSender::handle(const std::string& id, Fields fields) {
  const std::string dedupe = get(fields, "dedupe");
  std::vector<std::string> check{"EXISTS", "{outbound}:sent:" + dedupe};
  auto sent = co_await redis_.exec(std::move(check));
  if (!sent) co_return;  // stays pending; reclaimed later
  if (sent->integer == 1) co_return co_await finish(id);  // a redelivery of something already sent
  if (const std::string broadcast = get(fields, "broadcast"); !broadcast.empty()) {
    std::vector<std::string> state{"HGET", "{broadcast}:" + broadcast, "status"};
    auto status = co_await redis_.exec(std::move(state));
    if (!status) co_return;
    if (status->str == "cancelled") {
      co_await count(fields, "cancelled");
      co_return co_await finish(id);
    }
  }

  auto disposition = co_await deliver(fields);
  if (disposition == Disposition::sent || disposition == Disposition::skipped) {
    if (disposition == Disposition::sent) co_await count(fields, "sent");
    co_return co_await finish(id);
  }
  if (disposition == Disposition::retry_later) co_return;  // pending; XAUTOCLAIM brings it back
  std::vector<std::string> bump{"HINCRBY", kFailures, dedupe, "1"};
  auto failures = co_await redis_.exec(std::move(bump));
  if (failures && failures->integer >= options_.max_failures) {
    std::vector<std::string> dead{"XADD", kDead, "MAXLEN", "~", "100000", "*", "stream", options_.stream,
                                  "openid", get(fields, "openid"), "dedupe", dedupe, "content", get(fields, "content")};
    co_await redis_.exec(std::move(dead));
    std::vector<std::string> forget{"HDEL", kFailures, dedupe};
    co_await redis_.exec(std::move(forget));
    util::log("error", "outbound " + dedupe + " failed " + std::to_string(options_.max_failures) +
                           " times; moved to " + kDead);
    co_await count(fields, "failed", "failed " + std::to_string(options_.max_failures) + " times (dead letter)");
    co_await finish(id);
  }
}

asio::awaitable<void> StreamSender::finish(const std::string& id) {
  std::vector<std::string> ack{"XACK", options_.stream, options_.group, id};
  co_await redis_.exec(std::move(ack));
  std::vector<std::string> remove{"XDEL", options_.stream, id};
  co_await redis_.exec(std::move(remove));
}

asio::awaitable<void> StreamSender::count(const Fields& fields, const char* counter, const std::string& reason) {
  const std::string broadcast = get(fields, "broadcast");
  if (broadcast.empty()) co_return;
  std::vector<std::string> add{"HINCRBY", "{broadcast}:" + broadcast, counter, "1"};
  co_await redis_.exec(std::move(add));
  if (reason.empty()) co_return;
  std::vector<std::string> why{"HINCRBY", "{broadcast}:" + broadcast + ":reasons", reason, "1"};
  co_await redis_.exec(std::move(why));
}

asio::awaitable<void> StreamSender::record_skip(const Fields& fields, const std::string& reason) {
  co_await count(fields, "skipped", reason);
  std::vector<std::string> skip{"XADD", kSkipped, "MAXLEN", "~", "100000", "*", "stream", options_.stream,
                                "openid", get(fields, "openid"), "dedupe", get(fields, "dedupe"), "reason", reason};
  co_await redis_.exec(std::move(skip));
}

asio::awaitable<StreamSender::Disposition> StreamSender::deliver(const Fields& fields) {
  const std::string openid = get(fields, "openid");
  const std::string dedupe = get(fields, "dedupe");
  if (!co_await limiter_.acquire()) co_return Disposition::retry_later;
  auto outcome = co_await api_.send_text(openid, get(fields, "content"));
  if (!outcome) {
    util::log("warn", "outbound " + dedupe + ": " + outcome.error().message());
    co_return Disposition::failed;
  }
  int code = outcome->errcode;
  if (code == 45015 && !options_.template_id.empty()) {
    // Outside the 48-hour window: the template message reaches the student.
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    const std::string content = get(fields, "content");
    w.StartObject();
    w.Key("content");
    w.StartObject();
    w.Key("value");
    w.String(content.c_str(), static_cast<rapidjson::SizeType>(content.size()));
    w.EndObject();
    w.EndObject();
    if (!co_await limiter_.acquire()) co_return Disposition::retry_later;
    auto templated = co_await api_.send_template(openid, options_.template_id, buffer.GetString());
    if (!templated) co_return Disposition::failed;
    code = templated->errcode;
    if (code == 0) {
      std::vector<std::string> mark{"SET", "{outbound}:sent:" + dedupe, "template", "EX", "604800"};
      co_await redis_.exec(std::move(mark));
      co_return Disposition::sent;
    }
  }
  switch (code) {
    case 0: {
      std::vector<std::string> mark{"SET", "{outbound}:sent:" + dedupe, "custom", "EX", "604800"};
      co_await redis_.exec(std::move(mark));
      co_return Disposition::sent;
    }
    case 45015:
      co_await record_skip(fields, "45015 outside the 48-hour window, no template configured");
      co_return Disposition::skipped;
    case 43004:
      co_await record_skip(fields, "43004 not subscribed");
      co_return Disposition::skipped;
    case 45047:
    case 45011:
      co_await sleep(std::chrono::seconds(2));
      co_return Disposition::retry_later;
    case 45009: {
      const auto until = next_china_midnight_unix();
      std::vector<std::string> pause{"SET", kPausedUntil, std::to_string(until), "EXAT", std::to_string(until)};
      co_await redis_.exec(std::move(pause));
      util::log("error", "daily API quota used (45009): sending paused until " + std::to_string(until) + " (unix)");
      co_return Disposition::retry_later;
    }
    default:
      util::log("warn", "outbound " + dedupe + ": errcode " + std::to_string(code) + " " + outcome->errmsg);
      co_return Disposition::failed;
  }
}

}  // namespace permit::outbound
