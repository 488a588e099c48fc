#pragma once

#include "bot/inbound/message_committer.hpp"
#include "bot/wechat/message_xml.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <mutex>
#include <optional>

namespace permit::core {

// Where a webhook waiting for its message's reply meets the background task
// that commits the message. The outcome passes to the webhook if it is
// still waiting; if it stopped waiting (out of time, or told to reply
// later), the message is the background task's to finish: never both,
// never neither. The mutex makes that choice once.
class ReplyHandoff {
 public:
  // What became of a message whose webhook stopped waiting for it.
  enum class Fate {
    waiting,   // the webhook waits; the outcome goes to it
    deferred,  // the webhook answered "success": the commit queues the reply
    refused,   // the webhook answered 503: the platform retries
  };
  using Outcome = boost::system::result<Processed>;

  ReplyHandoff(boost::asio::any_io_executor executor, wechat::InboundMessage message)
      : message_(std::move(message)), wake_(std::move(executor)) {}

  const wechat::InboundMessage& message() const { return message_; }

  // The webhook: the outcome, if it arrives before `deadline`; nothing if
  // the time ran out, and the message's fate is then `deferred`.
  boost::asio::awaitable<std::optional<Outcome>> wait(std::chrono::steady_clock::time_point deadline);
  // The webhook decided not to wait, or could not hold the message.
  void decide(Fate fate);

  // The background task: hands the outcome over and returns `waiting` if
  // the webhook still waits; otherwise leaves `outcome` as it is and
  // returns what the webhook decided.
  Fate deliver(Outcome& outcome);

 private:
  const wechat::InboundMessage message_;
  std::mutex mutex_;
  std::optional<Outcome> outcome_;
  Fate fate_ = Fate::waiting;
  boost::asio::steady_timer wake_;
};

}  // namespace permit::core
