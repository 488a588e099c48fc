#pragma once

#include "bot/redis/keys.hpp"
#include "bot/redis/redis_client.hpp"
#include "bot/util/json.hpp"
#include "dialogs/versions.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace permit::core {

// The published scripts, kept in Redis. Every publish (and every rollback,
// and the first seeding from dialogs/scripts) makes a new immutable release:
// a manifest of file name -> SHA-256 of its exact bytes, with its author,
// time and message. Each admin has a draft: files edited but not yet
// published. All keys share the {scripts} hash tag.
//
// Its keys are described in docs/data-model.md.
//
// A publish is a compare-and-set on the current release and notifies every
// instance on the channel {scripts}:published.
using Files = std::map<std::string, std::string>;  // file name -> bytes

struct ReleaseInfo {
  std::int64_t release = 0;
  std::string kind;  // seed, publish, rollback
  std::string author;
  std::string time;  // ISO 8601, UTC
  std::string message;
  std::int64_t base = 0;
  std::vector<std::string> files;  // changed from the base
  std::string migrate;             // the migration's JSON, "" for none
  std::int64_t rolled_back_to = 0;
};

struct Draft {
  std::int64_t base = 0;  // 0: no draft
  Files files;
};

class ScriptStore {
 public:
  static constexpr const char* kChannel = keys::kScriptsPublished;

  explicit ScriptStore(redis::Client& redis) : redis_(redis) {}

  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::int64_t>> current();
  // The files of a release (nullopt: no such release).
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<Files>>> files(std::int64_t release);
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::map<std::string, std::string>>> manifest(std::int64_t release);
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<ReleaseInfo>>> info(std::int64_t release);
  // Newest first.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::vector<ReleaseInfo>>> history();

  [[nodiscard]] boost::asio::awaitable<boost::system::result<Draft>> draft(const std::string& author);
  // Saves one file of the author's draft; the draft's base is the release
  // current when its first file was saved.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<void>> save_draft(const std::string& author, const std::string& name,
                                                                 const std::string& bytes, std::int64_t base);
  // Drops one file from the author's draft; returns its bytes, or nothing
  // when the draft had no such file.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<std::string>>> discard_draft(const std::string& author,
                                                                                          const std::string& name);

  struct Commit {
    bool stale = false;       // the current release was not `base`
    std::int64_t release = 0; // the new release, or the current one when stale
    std::string before, after;  // manifest_hash of the base and of the new release
  };
  // Makes `files` (the whole set) release base+1 if `base` is still current;
  // drops the author's draft (when given) and notifies every instance.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Commit>> commit(std::int64_t base, const Files& files,
                                                               ReleaseInfo info, const std::string& drafted_by);

  // Students mid-walkthrough on a release before `release` whom
  // `migration` would move to a node `target` does not have: node -> count.
  // A publish with such a migration is refused.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::map<std::string, std::int64_t>>> stranded(
      const dialogs::Migration& migration, const dialogs::Engine& target, std::int64_t release);

  // SHA-256 over a manifest (sorted "name sha" lines): a release's identity.
  static std::string manifest_hash(const std::map<std::string, std::string>& manifest);

 private:
  redis::Client& redis_;
};

void write_release_info(util::JsonWriter& writer, const ReleaseInfo& info);
std::string release_info_json(const ReleaseInfo& info);
ReleaseInfo release_info_from_json(const std::string& json);

}  // namespace permit::core
