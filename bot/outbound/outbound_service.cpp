#include "bot/outbound/outbound_service.hpp"

#include "bot/inbound/late_reply_queue.hpp"

#include <boost/asio/strand.hpp>

#include <algorithm>

namespace permit::outbound {
namespace asio = boost::asio;

OutboundService::OutboundService(asio::io_context& ioc, OutboundOptions options)
    : redis_(ioc.get_executor(), options.redis),
      http_(ioc.get_executor(), options.api_timeout, options.ca_file),
      limiter_(redis_, options.rate_per_second),
      api_(redis_, http_, limiter_, ApiOptions{options.api_base, options.appid, options.secret, options.instance}),
      job_(asio::make_strand(ioc), redis_) {
  // Sends in flight per sender: enough to keep up with the rate when a send
  // takes a few milliseconds, and few, because they bound how many sends a
  // stall anywhere (this process, the network, the platform) can bunch into
  // one second: at most 8 per instance, against the rate limiter's 5 %
  // headroom (25 sends a second at 500/s).
  const int batch = std::clamp(options.rate_per_second / 50, 1, 8);
  for (const char* stream : {core::LateReplyQueue::kStream, ReminderJob::kOutbox, core::Broadcasts::kQueue}) {
    sender_redis_.push_back(std::make_unique<redis::Client>(ioc.get_executor(), options.redis));
    senders_.push_back(std::make_unique<StreamSender>(
        asio::make_strand(ioc), *sender_redis_.back(), api_,
        SenderOptions{.stream = stream,
                      .consumer = options.instance,
                      .template_id = options.template_id,
                      .batch = batch,
                      .claim_idle = options.claim_idle,
                      .max_attempts = options.max_attempts,
                      .min_replica_acks = options.min_replica_acks,
                      .replica_wait = options.replica_wait}));
  }
}

void OutboundService::start() {
  redis_.start();
  for (auto& r : sender_redis_) r->start();
  job_.start();
  for (auto& s : senders_) s->start();
}

asio::awaitable<void> OutboundService::stop() {
  co_await job_.stop();
  for (auto& s : senders_) co_await s->stop();
  for (auto& r : sender_redis_) co_await r->close(std::chrono::milliseconds(1000));
  co_await redis_.close(std::chrono::milliseconds(1000));
}

}  // namespace permit::outbound
