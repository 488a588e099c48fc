#include "bot/accounts/sign_in.hpp"

#include "bot/redis/keys.hpp"
#include "bot/accounts/off_thread.hpp"
#include "bot/accounts/password.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/log.hpp"

#include <algorithm>

namespace permit::accounts {
namespace asio = boost::asio;
using boost::system::result;

namespace {

// KEYS: the name's and the address's failure counters. ARGV[1] lock
// seconds, ARGV[2] the failures that lock. Counts one failure on each; a
// counter's expiry is set on its first failure (failures older than the
// lock period are forgotten) and again when it reaches the limit (the lock
// runs from then). Returns both counts.
const redis::LuaScript kCountFailure(R"lua(
local out = {}
for i = 1, 2 do
  local n = redis.call('INCR', KEYS[i])
  if n == 1 or n >= tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[i], ARGV[1]) end
  out[i] = n
end
return out
)lua");

}  // namespace

asio::awaitable<std::int64_t> SignIn::locked_for(const std::string& name, const std::string& address) {
  const std::string name_key = keys::failures_of_name(name), address_key = keys::failures_of_address(address);
  // Named first: GCC 12 miscompiles string literals in a braced list inside co_await.
  std::vector<std::vector<std::string>> reads{{"GET", name_key}, {"GET", address_key}, {"TTL", name_key},
                                              {"TTL", address_key}};
  auto r = co_await redis::exec_all(redis_, std::move(reads));
  std::int64_t wait = 0;
  for (int i = 0; i < 2; ++i) {
    if (!r[i] || r[i]->is_error()) co_return -1;
    auto count = redis::to_int(*r[i]);
    if (count && *count >= limits_.failures) {
      auto ttl = r[i + 2] ? redis::to_int(*r[i + 2]) : std::nullopt;
      wait = std::max<std::int64_t>(wait, ttl && *ttl > 0 ? *ttl : 1);
    }
  }
  co_return wait;
}

asio::awaitable<void> SignIn::count_failure(const std::string& name, const std::string& address) {
  std::vector<std::string> key_names{keys::failures_of_name(name), keys::failures_of_address(address)};
  std::vector<std::string> args{std::to_string(limits_.lock.count()), std::to_string(limits_.failures)};
  auto r = co_await redis_.eval(kCountFailure, std::move(key_names), std::move(args));
  auto failure = core::AuditLog::entry(name, "", "sign_in.failure", "address " + address, "", "");
  co_await audit_.append(std::move(failure));
  if (!r || !r->is_array() || r->elements.size() != 2) co_return;
  const char* what[] = {"account ", "address "};
  const std::string target[] = {name, address};
  for (int i = 0; i < 2; ++i) {
    if (r->elements[i].integer != limits_.failures) continue;
    auto lockout = core::AuditLog::entry(name, "", "sign_in.lockout", what[i] + target[i], "",
                                         "locked for " + std::to_string(limits_.lock.count()) + " s");
    co_await audit_.append(std::move(lockout));
  }
}

asio::awaitable<SignInOutcome> SignIn::sign_in(std::string name, std::string password, std::string address) {
  SignInOutcome out;
  const std::int64_t wait = co_await locked_for(name, address);
  if (wait < 0) co_return SignInOutcome{SignInOutcome::Kind::unavailable, {}, 0};
  if (wait > 0) co_return SignInOutcome{SignInOutcome::Kind::locked, {}, wait};

  // Not "cond ? co_await ... : ...": GCC 12 frees that result too early.
  result<std::optional<Account>> found{std::nullopt};
  if (valid_name(name)) found = co_await accounts_.find(name);
  if (!found) co_return SignInOutcome{SignInOutcome::Kind::unavailable, {}, 0};
  const bool usable = found->has_value() && !(*found)->disabled;
  // Checked even when there is nothing to check against: the answer must
  // take as long either way.
  std::string stored = usable ? (*found)->hash : decoy_hash();
  auto check = [&] { return verify_password(password, stored); };  // named: see off_thread
  const bool matches = co_await off_thread(accounts_.work(), check);
  if (!usable || !matches) {
    co_await count_failure(name, address);
    co_return SignInOutcome{SignInOutcome::Kind::refused, {}, 0};
  }
  auto opened = co_await sessions_.open(name, (*found)->role);
  if (!opened) co_return SignInOutcome{SignInOutcome::Kind::unavailable, {}, 0};
  // A success forgets the name's failures (not the address's: it may be
  // guessing at several names). Should this fail, the count just runs out.
  std::vector<std::string> forget{"DEL", keys::failures_of_name(name)};
  if (auto forgot = co_await redis_.exec(std::move(forget)); !forgot)
    util::log("warn", "sign-in failures of " + name + " not cleared: " + forgot.error().message());
  auto entry = core::AuditLog::entry(name, (*found)->role, "sign_in", "address " + address, "", "");
  co_await audit_.append(std::move(entry));
  out.kind = SignInOutcome::Kind::signed_in;
  out.opened = std::move(*opened);
  co_return out;
}

asio::awaitable<result<void>> SignIn::sign_out(const Session& session) {
  auto closed = co_await sessions_.close(session);
  if (!closed) co_return closed;
  auto entry = core::AuditLog::entry(session.name, session.role, "sign_out", "session", "", "");
  co_await audit_.append(std::move(entry));
  co_return result<void>{};
}

}  // namespace permit::accounts
