#pragma once

#include "bot/inbound/dialog_source.hpp"
#include "bot/scripts/script_store.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/transcript.hpp"
#include "dialogs/versions.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string_view>

namespace permit::core {

// A set of files checked and turned into an engine, or why not.
struct Built {
  std::shared_ptr<const dialogs::Engine> engine;
  std::vector<dialogs::ScriptError> errors;       // schema and meaning
  std::vector<dialogs::TranscriptProblem> failed; // transcripts (when asked for)
  std::size_t transcripts = 0;                    // how many were played
};

dialogs::Migration migration_from_json(const std::string& json);

// The scripts this instance serves: the current release from the store,
// plus the older ones students are still mid-walkthrough on, each loaded on
// first need. A publish reaches it through Redis pub/sub; each message
// also checks the current release at most every `recheck`, in case a
// notification was lost.
class ScriptRegistry final : public DialogSource {
 public:
  // `initial`: the scripts from dialogs/scripts, served (as release 0)
  // until the store has been read; `seed` seeds an empty store.
  ScriptRegistry(boost::asio::any_io_executor io, boost::asio::any_io_executor work, redis::Client& redis,
                 const redis::Options& subscriber, Files seed, std::string schema,
                 std::shared_ptr<const dialogs::Engine> initial);
  ~ScriptRegistry() override;

  void start();
  boost::asio::awaitable<void> stop();

  boost::asio::awaitable<dialogs::Outcome> respond(std::string_view state, const dialogs::StudentState* parsed,
                                                   const dialogs::Inbound& message,
                                                   std::chrono::system_clock::time_point now) override;
  dialogs::Outcome keep(std::string_view state, const dialogs::Inbound& message, std::string why) override;

  std::shared_ptr<const dialogs::VersionedDialog> snapshot() const;

  // Checks files and builds their engine off the I/O threads; with
  // `play`, runs their transcripts too.
  boost::asio::awaitable<Built> build(Files files, std::int64_t release, bool play);

  // Reads the current release and serves it (after a publish here, or a
  // notification).
  boost::asio::awaitable<void> refresh();

  ScriptStore& store() { return store_; }

 private:
  boost::asio::awaitable<void> ensure(std::int64_t release);
  boost::asio::awaitable<bool> load(std::int64_t release);
  boost::asio::awaitable<void> seed_and_follow();
  // Adds a release (or its engine) to the snapshot; serving it is make_current's.
  void install(std::int64_t release, std::shared_ptr<const dialogs::Engine> engine, dialogs::Migration migration);
  void make_current(std::int64_t release);

  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor work_;
  ScriptStore store_;
  redis::Client subscriber_;
  Files seed_;
  std::string schema_;
  mutable std::mutex mutex_;
  std::shared_ptr<const dialogs::VersionedDialog> snapshot_;
  // A load in progress, closed when it ends: closing wakes every waiter.
  using Done = boost::asio::experimental::concurrent_channel<void(boost::system::error_code)>;
  std::map<std::int64_t, std::shared_ptr<Done>> loading_;
  // Releases whose scripts do not build here: releases never change, so
  // neither will that; they are not fetched again.
  std::set<std::int64_t> unloadable_;
  std::atomic<std::int64_t> last_check_{0};
  std::atomic<bool> stopping_{false};
  boost::asio::steady_timer retry_;
  static constexpr std::chrono::milliseconds kRecheck{500};
};

}  // namespace permit::core
