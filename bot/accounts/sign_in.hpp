#pragma once

#include "bot/accounts/accounts.hpp"
#include "bot/accounts/sessions.hpp"
#include "bot/staff/audit_log.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <string>

namespace permit::accounts {

struct ThrottleLimits {
  int failures = 5;                        // this many failures in a row...
  std::chrono::seconds lock{15 * 60};      // ...lock the account, or the address, this long
};

struct SignInOutcome {
  enum class Kind { signed_in, refused, locked, unavailable };
  Kind kind = Kind::refused;
  OpenedSession opened;  // when signed_in
  std::int64_t retry_after = 0;  // seconds, when locked
};

// Signing in and out, throttled and audited.
//
// Wrong passwords are counted per account name and per client address
// ({accounts}:fail:*): the 5th failure locks that name, and that address,
// for 15 minutes (a locked attempt is not checked at all). A name with no
// account is counted like one that has, and its password is checked against
// a decoy hash, so "no such user" answers like, and as slowly as, "wrong
// password"; a disabled account too. A success clears the name's count (not
// the address's: it may be guessing at several names).
//
// The audit log gets: sign_in, sign_in.failure, sign_in.lockout, sign_out.
class SignIn {
 public:
  SignIn(Accounts& accounts, Sessions& sessions, core::AuditLog& audit, redis::Client& redis, ThrottleLimits limits = {})
      : accounts_(accounts), sessions_(sessions), audit_(audit), redis_(redis), limits_(limits) {}

  boost::asio::awaitable<SignInOutcome> sign_in(std::string name, std::string password, std::string address);
  boost::asio::awaitable<boost::system::result<void>> sign_out(const Session& session);

 private:
  boost::asio::awaitable<std::int64_t> locked_for(const std::string& name, const std::string& address);
  boost::asio::awaitable<void> count_failure(const std::string& name, const std::string& address);

  Accounts& accounts_;
  Sessions& sessions_;
  core::AuditLog& audit_;
  redis::Client& redis_;
  ThrottleLimits limits_;
};

}  // namespace permit::accounts
