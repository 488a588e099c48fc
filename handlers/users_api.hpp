#pragma once

#include "bot/accounts/account_admin.hpp"
#include "bot/server/http_types.hpp"

#include <boost/asio/awaitable.hpp>

namespace permit::handlers {

// /api/v1/users (admins; by session or bearer token):
//   GET    /api/v1/users         {users: [{name, role, disabled, created_at, created_by, changed_at}]}
//   POST   /api/v1/users         {name, role, password}: 201, 409 already_exists, 400 with the reason
//   PATCH  /api/v1/users/NAME    {disabled?: bool, password?: string}: 200, 404, 400
// Errors carry a catalogue key in "error" (see AdminOutcome).
class UsersApi {
 public:
  UsersApi(accounts::Accounts& accounts, accounts::AccountAdmin& admin) : accounts_(accounts), admin_(admin) {}

  static bool serves(std::string_view path) { return path == "/api/v1/users" || path.starts_with("/api/v1/users/"); }

  boost::asio::awaitable<server::Response> handle(server::Request request, accounts::Actor caller);

 private:
  boost::asio::awaitable<server::Response> list(unsigned version);

  accounts::Accounts& accounts_;
  accounts::AccountAdmin& admin_;
};

}  // namespace permit::handlers
