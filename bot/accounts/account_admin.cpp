#include "bot/accounts/account_admin.hpp"

#include "bot/accounts/password.hpp"

namespace permit::accounts {
namespace asio = boost::asio;

asio::awaitable<AdminOutcome> AccountAdmin::add(Actor by, std::string name, std::string role, std::string password) {
  if (!valid_name(name)) co_return AdminOutcome{"bad_name"};
  if (!valid_role(role)) co_return AdminOutcome{"bad_role"};
  if (auto problem = password_problem(name, password)) co_return AdminOutcome{*problem};
  auto created = co_await accounts_.create(name, role, std::move(password), by.name);
  if (!created) co_return AdminOutcome{"unavailable"};
  if (*created == Accounts::Change::already_exists) co_return AdminOutcome{"already_exists"};
  auto entry = core::AuditLog::entry(by.name, by.role, "account.create", "account " + name, "", "role " + role);
  co_await audit_.append(std::move(entry));
  co_return AdminOutcome{};
}

asio::awaitable<AdminOutcome> AccountAdmin::change(Actor by, std::string name, AccountChange change) {
  if (!change.disabled && !change.password) co_return AdminOutcome{"nothing_to_change"};
  if (!valid_name(name)) co_return AdminOutcome{"no_such_account"};
  if (change.password)
    if (auto problem = password_problem(name, *change.password)) co_return AdminOutcome{*problem};
  if (change.disabled && *change.disabled && name == by.name) co_return AdminOutcome{"not_yourself"};
  if (change.disabled) {
    auto done = co_await accounts_.set_disabled(name, *change.disabled);
    if (!done) co_return AdminOutcome{"unavailable"};
    if (*done == Accounts::Change::no_such_account) co_return AdminOutcome{"no_such_account"};
    auto entry = core::AuditLog::entry(by.name, by.role, *change.disabled ? "account.disable" : "account.enable",
                                       "account " + name, "", "");
    co_await audit_.append(std::move(entry));
  }
  if (change.password) {
    auto done = co_await accounts_.set_password(name, std::move(*change.password));
    if (!done) co_return AdminOutcome{"unavailable"};
    if (*done == Accounts::Change::no_such_account) co_return AdminOutcome{"no_such_account"};
    // The password itself is never logged, not even hashed.
    auto entry = core::AuditLog::entry(by.name, by.role, "account.password", "account " + name, "", "");
    co_await audit_.append(std::move(entry));
  }
  co_return AdminOutcome{};
}

}  // namespace permit::accounts
