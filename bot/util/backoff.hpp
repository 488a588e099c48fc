#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <chrono>

namespace permit::util {

// Pauses between retries, doubling from 50 ms up to 2 s, until a deadline:
//   while (!result && co_await backoff.pause()) result = co_await attempt();
class Backoff {
 public:
  Backoff(boost::asio::any_io_executor executor, std::chrono::steady_clock::time_point deadline)
      : timer_(executor), deadline_(deadline) {}

  // False (at once) once the deadline has passed: stop retrying.
  boost::asio::awaitable<bool> pause() {
    if (std::chrono::steady_clock::now() >= deadline_) co_return false;
    timer_.expires_after(next_);
    co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    next_ = std::min(next_ * 2, std::chrono::milliseconds(2000));
    co_return true;
  }

 private:
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::milliseconds next_{50};
};

}  // namespace permit::util
