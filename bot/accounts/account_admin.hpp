#pragma once

#include "bot/accounts/accounts.hpp"
#include "bot/staff/audit_log.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace permit::accounts {

// Who asks for a change: a person signed in, or a configured API token.
struct Actor {
  std::string name, role;
};

struct AccountChange {
  // What should change; unset fields stay as they are.
  std::optional<bool> disabled;
  std::optional<std::string> password;
};

// The outcome of an account change: ok, or why not (a catalogue key:
// bad_name, bad_role, password_too_short, password_too_long,
// password_is_name, already_exists, no_such_account, not_yourself,
// nothing_to_change, unavailable).
struct AdminOutcome {
  std::string error;  // empty: done
  bool ok() const { return error.empty(); }
};

// What admins do to accounts: the checks, the change, and its audit entry
// (account.create, account.disable, account.enable, account.password).
class AccountAdmin {
 public:
  AccountAdmin(Accounts& accounts, core::AuditLog& audit) : accounts_(accounts), audit_(audit) {}

  boost::asio::awaitable<AdminOutcome> add(Actor by, std::string name, std::string role, std::string password);
  // An admin cannot disable themselves (someone must be left to undo it).
  boost::asio::awaitable<AdminOutcome> change(Actor by, std::string name, AccountChange change);

 private:
  Accounts& accounts_;
  core::AuditLog& audit_;
};

}  // namespace permit::accounts
