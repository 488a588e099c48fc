#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace permit::redis {

// Transport-level failures. A reply that Redis itself marks as an error is not
// one of these: it arrives as a Value of type error, and the caller decides.
enum class Error {
  not_connected = 1,   // no live, authenticated connection right now
  timeout,             // no reply within the command timeout
  connection_lost,     // the connection dropped with the command pending
  closing,             // the client is shutting down
  unexpected_reply,    // a reply of a shape the caller did not expect
};

const boost::system::error_category& error_category() noexcept;

inline boost::system::error_code make_error_code(Error e) noexcept {
  return {static_cast<int>(e), error_category()};
}

}  // namespace permit::redis

template <>
struct boost::system::is_error_code_enum<permit::redis::Error> : std::true_type {};
