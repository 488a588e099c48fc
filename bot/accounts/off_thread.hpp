#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

namespace permit::accounts {

// Runs f on `work` (a thread pool of its own) and resumes the caller on its
// own executor afterwards: a password hash takes ~50-100 ms of CPU, which
// must not stall the webhook's I/O thread.
//
// Two hops (post to the pool, post back). f is taken by reference: GCC 12
// destroys a lambda passed by value to a coroutine twice (valgrind showed
// the double free). The caller's temporary lives until its co_await ends.
template <class F>
boost::asio::awaitable<std::invoke_result_t<F&>> off_thread(boost::asio::any_io_executor work, F&& f) {
  namespace asio = boost::asio;
  const auto home = co_await asio::this_coro::executor;
  co_await asio::post(asio::bind_executor(work, asio::use_awaitable));
  auto result = f();
  co_await asio::post(asio::bind_executor(home, asio::use_awaitable));
  co_return result;
}

}  // namespace permit::accounts
