#pragma once

// The client's commands in flight (redis_client.cpp): each holds its
// caller's handler until the reply or its deadline, whichever comes first.

#include "bot/redis/redis_value.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>

namespace permit::redis::detail {

using Handler = boost::asio::any_completion_handler<void(boost::system::error_code, Value)>;
using Strand = boost::asio::strand<boost::asio::any_io_executor>;
using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;
using boost::system::error_code;


// Type-erases a caller's handler into one that, when called, posts the
// result to the caller's own executor (a coroutine resumes where it was).
template <class CompletionHandler>
Handler posting_to_caller(CompletionHandler handler, const Strand& fallback) {
  auto executor = asio::get_associated_executor(handler, fallback);
  return [h = std::move(handler), executor](error_code ec, Value value) mutable {
    asio::post(executor, [h = std::move(h), ec, value = std::move(value)]() mutable { std::move(h)(ec, std::move(value)); });
  };
}

// One command in flight. Whichever comes first, the reply or the deadline
// sweep, completes it; the other finds `done` set. Both run on the
// connection strand.
struct PendingCommand {
  PendingCommand(Handler h, Clock::time_point d) : handler(std::move(h)), deadline(d) {}

  void complete(error_code ec, Value value) {
    if (done) return;
    done = true;
    std::move(handler)(ec, std::move(value));
  }

  Handler handler;
  Clock::time_point deadline;
  bool done = false;
};

// Commands in the order they were sent. Every command has the same
// timeout, so the front always has the earliest deadline.
using InFlight = std::deque<std::shared_ptr<PendingCommand>>;

// Completes with `timeout` every command at the front whose deadline is
// past, and drops those already answered; how many timed out.
// `counted` (the client's error count) goes up before each command is
// completed: a caller resumed by the completion sees its own timeout
// counted already.
template <typename Counter>
std::size_t expire_overdue(InFlight& in_flight, Clock::time_point now, error_code timeout, Counter& counted) {
  std::size_t expired = 0;
  while (!in_flight.empty() && (in_flight.front()->done || in_flight.front()->deadline <= now)) {
    if (!in_flight.front()->done) {
      ++counted;
      in_flight.front()->complete(timeout, {});
      ++expired;
    }
    in_flight.pop_front();
  }
  return expired;
}


}  // namespace permit::redis::detail
