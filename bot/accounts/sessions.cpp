#include "bot/accounts/sessions.hpp"

#include "bot/redis/keys.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/digest.hpp"

#include <algorithm>

namespace permit::accounts {
namespace asio = boost::asio;
using boost::system::result;

namespace {

std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// KEYS[1] session, KEYS[2] the account's session set. ARGV[1] session id,
// ARGV[2] idle seconds, then field/value pairs. Drops the ids of sessions
// that have expired from the set, so it stays as small as the open ones.
const redis::LuaScript kOpen(R"lua(
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('EXPIRE', KEYS[1], ARGV[2])
local prefix = string.sub(KEYS[1], 1, #KEYS[1] - #ARGV[1])
for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('EXISTS', prefix .. id) == 0 then redis.call('SREM', KEYS[2], id) end
end
redis.call('SADD', KEYS[2], ARGV[1])
return 1
)lua");

// KEYS[1] session. ARGV[1] now, ARGV[2] idle seconds, ARGV[3] absolute
// seconds. The fields, with the idle expiry renewed (never past the
// absolute end); nil once either has passed.
const redis::LuaScript kFind(R"lua(
local s = redis.call('HMGET', KEYS[1], 'name', 'role', 'csrf', 'created_at')
if not s[1] or not s[4] then return false end
local left = tonumber(ARGV[3]) - (tonumber(ARGV[1]) - tonumber(s[4]))
if left <= 0 then
  redis.call('DEL', KEYS[1])
  return false
end
redis.call('EXPIRE', KEYS[1], math.min(tonumber(ARGV[2]), left))
return s
)lua");

}  // namespace

bool plausible_token(std::string_view token) {
  return token.size() == 64 &&
         std::all_of(token.begin(), token.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

asio::awaitable<result<OpenedSession>> Sessions::open(std::string name, std::string role) {
  OpenedSession opened;
  opened.token = hex(util::random_bytes(32));
  opened.session.id = util::sha256_hex(opened.token);
  opened.session.csrf = hex(util::random_bytes(32));
  opened.session.name = std::move(name);
  opened.session.role = std::move(role);
  const auto& s = opened.session;
  // Named first: GCC 12 miscompiles string literals in a braced list inside co_await.
  std::vector<std::string> key_names{keys::session(s.id), keys::sessions_of(s.name)};
  std::vector<std::string> args{s.id, std::to_string(limits_.idle.count()), "name", s.name, "role", s.role, "csrf",
                                s.csrf, "created_at", std::to_string(util::unix_now())};
  auto r = co_await redis_.eval(kOpen, std::move(key_names), std::move(args));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  co_return opened;
}

asio::awaitable<result<std::optional<Session>>> Sessions::find(std::string token) {
  if (!plausible_token(token)) co_return std::optional<Session>{};
  const std::string id = util::sha256_hex(token);
  std::vector<std::string> key_names{keys::session(id)};
  std::vector<std::string> args{std::to_string(util::unix_now()), std::to_string(limits_.idle.count()),
                                std::to_string(limits_.absolute.count())};
  auto r = co_await redis_.eval(kFind, std::move(key_names), std::move(args));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  if (!r->is_array() || r->elements.size() != 4) co_return std::optional<Session>{};
  co_return std::optional<Session>{Session{id, r->elements[0].str, r->elements[1].str, r->elements[2].str}};
}

asio::awaitable<result<void>> Sessions::close(const Session& session) {
  std::vector<std::string> del{"DEL", keys::session(session.id)};
  auto r = co_await redis_.exec(std::move(del));
  if (auto ok = redis::succeeded(r); !ok) co_return ok.error();
  std::vector<std::string> srem{"SREM", keys::sessions_of(session.name), session.id};
  auto s = co_await redis_.exec(std::move(srem));
  co_return redis::succeeded(s);
}

}  // namespace permit::accounts
