#include "bot/scripts/script_registry.hpp"

#include "dialogs/default_texts.hpp"

#include "bot/util/clock.hpp"
#include "bot/util/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <rapidjson/document.h>

namespace permit::core {
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

bool has_engine(const dialogs::VersionedDialog& d, std::int64_t release) {
  auto it = d.releases().find(release);
  return it != d.releases().end() && it->second.engine != nullptr;
}

}  // namespace

dialogs::Migration migration_from_json(const std::string& json) {
  dialogs::Migration m;
  rapidjson::Document doc;
  if (json.empty() || doc.Parse(json.c_str(), json.size()).HasParseError() || !doc.IsObject()) return m;
  for (const auto& u : doc.GetObject()) {
    if (!u.value.IsObject()) continue;
    auto& nodes = m.universities[u.name.GetString()];
    for (const auto& n : u.value.GetObject())
      if (n.value.IsString()) nodes[n.name.GetString()] = n.value.GetString();
  }
  return m;
}

ScriptRegistry::ScriptRegistry(asio::any_io_executor io, asio::any_io_executor work, redis::Client& redis,
                               const redis::Options& subscriber, Files seed, std::string schema,
                               std::shared_ptr<const dialogs::Engine> initial)
    : io_(io),
      work_(std::move(work)),
      store_(redis),
      subscriber_(io, subscriber),
      seed_(std::move(seed)),
      schema_(std::move(schema)),
      retry_(io) {
  std::map<std::int64_t, dialogs::Release> releases;
  releases[0] = dialogs::Release{std::move(initial), {}};
  snapshot_ = std::make_shared<dialogs::VersionedDialog>(std::move(releases), 0);
}

ScriptRegistry::~ScriptRegistry() = default;

void ScriptRegistry::start() {
  subscriber_.subscribe(ScriptStore::kChannel, [this](std::string) {
    if (!stopping_) asio::co_spawn(io_, refresh(), asio::detached);
  });
  subscriber_.start();
  asio::co_spawn(io_, seed_and_follow(), asio::detached);
}

asio::awaitable<void> ScriptRegistry::stop() {
  stopping_ = true;
  retry_.cancel();
  co_await subscriber_.close(std::chrono::milliseconds(500));
}

std::shared_ptr<const dialogs::VersionedDialog> ScriptRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

asio::awaitable<dialogs::Outcome> ScriptRegistry::respond(std::string_view state, const dialogs::StudentState* parsed,
                                                         const dialogs::Inbound& message,
                                                         std::chrono::system_clock::time_point now) {
  // The fallback to a lost notification: one message in a while asks. It
  // does not wait for the answer (loading a release takes a while); the
  // next messages get the new release once it is in.
  auto last = last_check_.load();
  const auto checked = now_ms();
  if (checked - last >= kRecheck.count() && last_check_.compare_exchange_strong(last, checked) && !stopping_)
    asio::co_spawn(io_, refresh(), asio::detached);
  // The state is parsed once, here, for choosing the release and for the
  // engine; not at all when the last turn's is at hand (a copy is cheaper).
  auto snap = snapshot();
  auto st = parsed != nullptr ? std::optional<dialogs::StudentState>(*parsed) : dialogs::StudentState::read(state);
  if (!st) co_return snap->current_engine().keep(state, message, "unreadable");
  const auto need = snap->release_for(*st);
  if (!has_engine(*snap, need)) {
    co_await ensure(need);
    snap = snapshot();
  }
  co_return snap->current_engine().bounded(state, message, snap->respond(std::move(*st), message, now));
}

dialogs::Outcome ScriptRegistry::keep(std::string_view state, const dialogs::Inbound& message, std::string why) {
  return snapshot()->current_engine().keep(state, message, std::move(why));
}

asio::awaitable<Built> ScriptRegistry::build(Files files, std::int64_t release, bool play) {
  // Checking scripts, building indexes and playing transcripts take
  // milliseconds: not on the threads that answer the webhook.
  auto work = [&]() -> asio::awaitable<Built> {
    Built out;
    // A release published for an older engine lacks the newer texts: the
    // shipped ones stand in (its own edits kept), rather than the release
    // not loading at all.
    const auto added = dialogs::add_missing_texts(files, seed_);
    if (!added.empty()) {
      std::string names;
      for (const auto& name : added) names += (names.empty() ? "" : ", ") + name;
      util::log("info", "release " + std::to_string(release) + " has no text " + names + "; the shipped one stands in");
    }
    auto loaded = dialogs::load_scripts(files, schema_);
    if (!loaded.scripts) {
      out.errors = std::move(loaded.errors);
      co_return out;
    }
    auto engine = std::make_shared<dialogs::Engine>(std::move(*loaded.scripts), release);
    if (play) out.failed = dialogs::run_transcripts(files, *engine, &out.transcripts);
    out.engine = std::move(engine);
    co_return out;
  };
  co_return co_await asio::co_spawn(work_, work(), asio::use_awaitable);
}

void ScriptRegistry::install(std::int64_t release, std::shared_ptr<const dialogs::Engine> engine,
                             dialogs::Migration migration) {
  std::lock_guard lock(mutex_);
  auto releases = snapshot_->releases();
  auto& r = releases[release];
  if (engine) r.engine = std::move(engine);
  r.migration = std::move(migration);
  snapshot_ = std::make_shared<dialogs::VersionedDialog>(std::move(releases), snapshot_->current());
}

void ScriptRegistry::make_current(std::int64_t release) {
  std::lock_guard lock(mutex_);
  if (release <= snapshot_->current()) return;
  snapshot_ = std::make_shared<dialogs::VersionedDialog>(snapshot_->releases(), release);
}

asio::awaitable<bool> ScriptRegistry::load(std::int64_t release) {
  auto files = co_await store_.files(release);
  auto info = co_await store_.info(release);
  if (!files || !info || !*files || !*info) co_return false;
  auto built = co_await build(std::move(**files), release, false);
  if (!built.engine) {
    for (const auto& e : built.errors)
      util::log("error", "release " + std::to_string(release) + " does not load: " + e.to_string());
    std::lock_guard lock(mutex_);
    unloadable_.insert(release);
    co_return false;
  }
  install(release, std::move(built.engine), migration_from_json((*info)->migrate));
  co_return true;
}

// One load per release at a time; whoever needs it meanwhile waits for it
// to end (the load's Redis commands have timeouts, so the wait does too).
asio::awaitable<void> ScriptRegistry::ensure(std::int64_t release) {
  std::shared_ptr<Done> signal;
  bool mine = false;
  {
    std::lock_guard lock(mutex_);
    if (has_engine(*snapshot_, release) || unloadable_.contains(release)) co_return;
    auto& slot = loading_[release];
    if (!slot) {
      slot = std::make_shared<Done>(io_);
      mine = true;
    }
    signal = slot;
  }
  if (!mine) {
    co_await signal->async_receive(asio::as_tuple(asio::use_awaitable));
    co_return;
  }
  if (!co_await load(release))
    util::log("warn", "cannot load script release " + std::to_string(release) + " now; answering from the current one");
  {
    std::lock_guard lock(mutex_);
    loading_.erase(release);
  }
  // Outside the lock: closing may resume a waiter right here, and the
  // waiter takes the lock.
  signal->close();
}

asio::awaitable<void> ScriptRegistry::refresh() {
  auto current = co_await store_.current();
  if (!current || *current == 0) co_return;
  if (*current == snapshot()->current() && has_engine(*snapshot(), *current)) co_return;
  // Every release's migration is known, loaded or not: a student on an old
  // release may be due to move.
  auto history = co_await store_.history();
  if (!history) co_return;
  for (const auto& info : *history)
    if (!snapshot()->releases().contains(info.release))
      install(info.release, nullptr, migration_from_json(info.migrate));
  co_await ensure(*current);
  if (!has_engine(*snapshot(), *current)) co_return;
  make_current(*current);
  util::log("info", "serving script release " + std::to_string(*current));
}

asio::awaitable<void> ScriptRegistry::seed_and_follow() {
  while (!stopping_) {
    ReleaseInfo info;
    info.kind = "seed";
    info.author = "seed";
    info.time = util::iso_now();
    info.message = "seeded from dialogs/scripts";
    // Seeded already (the usual start): nothing to send.
    auto current = co_await store_.current();
    bool seeded_now = false;
    if (current && *current == 0) {
      auto seeded = co_await store_.commit(0, seed_, info, "");
      if (!seeded) current = seeded.error();
      else seeded_now = !seeded->stale;
    }
    if (current) {
      co_await refresh();
      if (snapshot()->current() > 0) {
        if (seeded_now) util::log("info", "seeded the script store from dialogs/scripts (release 1)");
        co_return;
      }
    }
    // Redis is not there yet: the scripts from the files answer meanwhile.
    retry_.expires_after(std::chrono::milliseconds(500));
    co_await retry_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace permit::core
