#pragma once

#include "bot/redis/redis_client.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::accounts {

struct Account {
  std::string name;
  std::string role;  // "staff" or "admin"
  bool disabled = false;
  std::string created_at, created_by, changed_at;
  std::string hash;  // never leaves the process
};

// A name: 1-64 of a-z 0-9 . _ - starting with a letter or digit (it is part
// of Redis keys and of the audit log).
bool valid_name(std::string_view name);
bool valid_role(std::string_view role);

// The people who sign in to the console (keys: docs/data-model.md).
// Disabling an account or changing its password ends its sessions in the
// same Lua script, so no request is served on an old session after the
// change is answered.
class Accounts {
 public:
  // work: where password hashes are computed (off the I/O threads).
  Accounts(redis::Client& redis, boost::asio::any_io_executor work) : redis_(redis), work_(std::move(work)) {}

  enum class Change { done, no_such_account, already_exists };

  // The caller checks name, role and password_problem first.
  boost::asio::awaitable<boost::system::result<Change>> create(std::string name, std::string role,
                                                               std::string password, std::string by);
  boost::asio::awaitable<boost::system::result<std::optional<Account>>> find(std::string name);
  // Every account, by name.
  boost::asio::awaitable<boost::system::result<std::vector<Account>>> list();
  boost::asio::awaitable<boost::system::result<Change>> set_disabled(std::string name, bool disabled);
  boost::asio::awaitable<boost::system::result<Change>> set_password(std::string name, std::string password);

  boost::asio::any_io_executor work() const { return work_; }

 private:
  boost::asio::awaitable<boost::system::result<Change>> update_ending_sessions(std::string name,
                                                                               std::vector<std::string> fields);
  redis::Client& redis_;
  boost::asio::any_io_executor work_;
};

}  // namespace permit::accounts
