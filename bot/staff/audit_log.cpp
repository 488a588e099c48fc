#include "bot/staff/audit_log.hpp"

#include "bot/redis/keys.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/backoff.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "bot/util/log.hpp"

#include <boost/asio/this_coro.hpp>

#include <utility>

namespace permit::core {
namespace asio = boost::asio;
using boost::system::result;

namespace {

// KEYS[1] head, KEYS[2] log. ARGV: prev, hash, then field/value pairs.
// Appends only while the head is still `prev`; 0 otherwise.
const redis::LuaScript kAppend(R"lua(
local head = redis.call('GET', KEYS[1]) or ARGV[3]
if head ~= ARGV[1] then return 0 end
local fields = {}
for i = 4, #ARGV do fields[#fields + 1] = ARGV[i] end
fields[#fields + 1] = 'prev'
fields[#fields + 1] = ARGV[1]
fields[#fields + 1] = 'hash'
fields[#fields + 1] = ARGV[2]
local id = redis.call('XADD', KEYS[2], '*', unpack(fields))
redis.call('SET', KEYS[1], ARGV[2])
return id
)lua");

const std::string kHead = keys::kAuditHead;
const std::string kLog = keys::kAuditLog;

}  // namespace

std::string AuditLog::hash_of(const AuditEntry& e) {
  // Length-prefixed, so no field can borrow another's bytes.
  std::string canonical;
  for (const std::string* f : {&e.prev, &e.who, &e.role, &e.time, &e.action, &e.target, &e.before, &e.after})
    canonical += std::to_string(f->size()) + ":" + *f + ";";
  return util::sha256_hex(canonical);
}

asio::awaitable<result<AuditEntry>> AuditLog::append(AuditEntry entry) { return append_once(std::move(entry)); }

asio::awaitable<void> AuditLog::record(AuditEntry entry) {
  auto executor = co_await asio::this_coro::executor;
  util::Backoff backoff(executor, std::chrono::steady_clock::now() + std::chrono::seconds(2));
  auto appended = co_await append_once(entry);
  while (!appended && co_await backoff.pause()) appended = co_await append_once(entry);
  // The action itself has happened by now; a missing record must at least
  // be loud, and complete.
  if (!appended)
    util::log("error", "audit log append failed (" + appended.error().message() + "): who=" + entry.who +
                           " role=" + entry.role + " action=" + entry.action + " target=" + entry.target +
                           " before=" + entry.before + " after=" + entry.after);
}

AuditEntry AuditLog::entry(std::string who, std::string role, std::string action, std::string target,
                           std::string before, std::string after) {
  AuditEntry e;
  e.who = std::move(who);
  e.role = std::move(role);
  e.action = std::move(action);
  e.target = std::move(target);
  e.before = std::move(before);
  e.after = std::move(after);
  return e;
}

asio::awaitable<result<AuditEntry>> AuditLog::append_once(AuditEntry entry) {
  if (entry.time.empty()) entry.time = util::iso_now();
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::vector<std::string> get{"GET", kHead};
    auto head = co_await redis_.exec(std::move(get));
    if (!head) co_return head.error();
    entry.prev = head->is_string() ? head->str : kGenesis;
    entry.hash = hash_of(entry);
    std::vector<std::string> keys{kHead, kLog};
    std::vector<std::string> args{entry.prev, entry.hash, kGenesis,  "who",    entry.who,    "role",
                                  entry.role, "time",     entry.time, "action", entry.action, "target",
                                  entry.target, "before", entry.before, "after", entry.after};
    // ARGV[3] is the genesis value the script compares an empty log with.
    auto added = co_await redis_.eval(kAppend, std::move(keys), std::move(args));
    if (!added) co_return added.error();
    if (added->is_error()) co_return redis::Error::unexpected_reply;
    if (added->is_string()) {
      entry.id = added->str;
      co_return entry;
    }
  }
  co_return make_error_code(boost::system::errc::resource_unavailable_try_again);
}

asio::awaitable<result<AuditChain>> AuditLog::read() {
  // Both at once: one round trip.
  std::vector<std::vector<std::string>> reads{{"XRANGE", kLog, "-", "+"}, {"GET", kHead}};
  auto read = co_await redis::exec_all(redis_, std::move(reads));
  auto& listed = read[0];
  auto& head = read[1];
  if (!listed) co_return listed.error();
  if (!head) co_return head.error();
  AuditChain chain;
  std::string expected_prev = kGenesis;
  for (auto& [id, f] : redis::stream_entries(*listed)) {
    AuditEntry e{id, f["who"], f["role"], f["action"], f["target"], f["before"], f["after"], f["time"], f["prev"],
                 f["hash"]};
    if (chain.intact && e.prev != expected_prev) {
      chain.intact = false;
      chain.broken_at = id;
      chain.problem = "does not follow the entry before it";
    } else if (chain.intact && hash_of(e) != e.hash) {
      chain.intact = false;
      chain.broken_at = id;
      chain.problem = "its fields do not match its hash";
    }
    expected_prev = e.hash;
    chain.entries.push_back(std::move(e));
  }
  const std::string last = head->is_string() ? head->str : kGenesis;
  if (chain.intact && last != expected_prev) {
    chain.intact = false;
    chain.broken_at = chain.entries.empty() ? "" : chain.entries.back().id;
    chain.problem = "the log ends before the recorded head";
  }
  co_return chain;
}

std::string audit_json(const AuditChain& chain) {
  return util::write_json([&](util::JsonWriter& w) {
    w.StartObject();
    w.Key("chain");
    w.StartObject();
    w.Key("intact");
    w.Bool(chain.intact);
    w.Key("length");
    w.Uint64(chain.entries.size());
    if (!chain.intact) {
      w.Key("broken_at");
      w.String(chain.broken_at);
      w.Key("problem");
      w.String(chain.problem);
    }
    w.EndObject();
    w.Key("entries");
    w.StartArray();
    for (const auto& e : chain.entries) {
      w.StartObject();
      for (auto [name, value] : {std::pair<const char*, const std::string*>{"id", &e.id}, {"who", &e.who},
                                 {"role", &e.role}, {"time", &e.time}, {"action", &e.action}, {"target", &e.target},
                                 {"before", &e.before}, {"after", &e.after}, {"prev", &e.prev}, {"hash", &e.hash}}) {
        w.Key(name);
        w.String(*value);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

}  // namespace permit::core
