#include "bot/accounts/accounts.hpp"

#include "bot/redis/keys.hpp"
#include "bot/accounts/off_thread.hpp"
#include "bot/accounts/password.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/clock.hpp"

#include <algorithm>

namespace permit::accounts {
namespace asio = boost::asio;
using boost::system::result;

namespace {

// KEYS[1] user, KEYS[2] names. ARGV[1] name, then field/value pairs.
const redis::LuaScript kCreate(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('SADD', KEYS[2], ARGV[1])
return 1
)lua");

// KEYS[1] user, KEYS[2] the user's session set. ARGV[1] the session key
// prefix, then field/value pairs to set. Ends every session of the account.
const redis::LuaScript kUpdateEndingSessions(R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local fields = {}
for i = 2, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do redis.call('DEL', ARGV[1] .. id) end
redis.call('DEL', KEYS[2])
return 1
)lua");

Account account_from(std::string name, const redis::Value& flat) {
  redis::StreamFields f;
  redis::add_fields(flat, f);
  return Account{std::move(name), f["role"], f["disabled"] == "1", f["created_at"], f["created_by"], f["changed_at"],
                 f["hash"]};
}


}  // namespace

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto ok = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'; };
  return std::all_of(name.begin(), name.end(), ok) && name[0] != '.' && name[0] != '_' && name[0] != '-';
}

bool valid_role(std::string_view role) { return role == "staff" || role == "admin"; }

asio::awaitable<result<Accounts::Change>> Accounts::create(std::string name, std::string role, std::string password,
                                                           std::string by) {
  // A named lambda, captures by reference: see off_thread.
  const std::string salt = new_salt();
  auto hash_it = [&] { return hash_password(password, salt); };
  std::string hash = co_await off_thread(work_, hash_it);
  const std::string now = util::iso_now();
  // Named first: GCC 12 miscompiles string literals in a braced list inside co_await.
  std::vector<std::string> key_names{keys::user(name), std::string(keys::kNames)};
  std::vector<std::string> args{name, "role", role, "hash", hash, "disabled", "0", "created_at", now, "created_by",
                                by, "changed_at", now};
  auto r = co_await redis_.eval(kCreate, std::move(key_names), std::move(args));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  co_return r->integer == 1 ? Change::done : Change::already_exists;
}

asio::awaitable<result<std::optional<Account>>> Accounts::find(std::string name) {
  std::vector<std::string> read{"HGETALL", keys::user(name)};
  auto r = co_await redis_.exec(std::move(read));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  if (!r->is_array() || r->elements.empty()) co_return std::optional<Account>{};
  co_return std::optional<Account>{account_from(std::move(name), *r)};
}

asio::awaitable<result<std::vector<Account>>> Accounts::list() {
  std::vector<std::string> members{"SMEMBERS", std::string(keys::kNames)};
  auto names = co_await redis_.exec(std::move(members));
  if (auto ok = redis::succeeded(names); !ok) co_return ok.error();
  std::vector<std::string> sorted;
  for (const auto& n : names->elements) sorted.push_back(n.str);
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<std::string>> reads;
  for (const auto& n : sorted) reads.push_back({"HGETALL", keys::user(n)});
  auto hashes = co_await redis::exec_all(redis_, std::move(reads));
  std::vector<Account> out;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (auto ok = redis::succeeded(hashes[i]); !ok) co_return ok.error();
    if (hashes[i]->elements.empty()) continue;
    out.push_back(account_from(sorted[i], *hashes[i]));
    out.back().hash.clear();
  }
  co_return out;
}

asio::awaitable<result<Accounts::Change>> Accounts::update_ending_sessions(std::string name,
                                                                           std::vector<std::string> fields) {
  std::vector<std::string> args{keys::session("")};
  for (auto& f : fields) args.push_back(std::move(f));
  args.push_back("changed_at");
  args.push_back(util::iso_now());
  std::vector<std::string> key_names{keys::user(name), keys::sessions_of(name)};
  auto r = co_await redis_.eval(kUpdateEndingSessions, std::move(key_names), std::move(args));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  co_return r->integer == 1 ? Change::done : Change::no_such_account;
}

asio::awaitable<result<Accounts::Change>> Accounts::set_disabled(std::string name, bool disabled) {
  // Enabling ends no session (there are none), and that is harmless.
  std::vector<std::string> fields{"disabled", disabled ? "1" : "0"};
  co_return co_await update_ending_sessions(std::move(name), std::move(fields));
}

asio::awaitable<result<Accounts::Change>> Accounts::set_password(std::string name, std::string password) {
  // A named lambda, captures by reference: see off_thread.
  const std::string salt = new_salt();
  auto hash_it = [&] { return hash_password(password, salt); };
  std::string hash = co_await off_thread(work_, hash_it);
  std::vector<std::string> fields{"hash", std::move(hash)};
  co_return co_await update_ending_sessions(std::move(name), std::move(fields));
}

}  // namespace permit::accounts
