#pragma once

#include "bot/scripts/script_store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace permit::core {

// What the admins read of the scripts: the releases, and their own drafts
// next to what is published. Reads only; ScriptPublisher changes things.
class ScriptReader {
 public:
  explicit ScriptReader(ScriptStore& store) : store_(store) {}

  struct Overview {
    std::int64_t release = 0;                     // the current one
    std::map<std::string, std::string> files;     // its files: name -> SHA-256
    std::int64_t draft_base = 0;                  // 0: no draft
    std::map<std::string, std::string> drafted;   // the author's draft: name -> SHA-256
  };
  [[nodiscard]] boost::asio::awaitable<boost::system::result<Overview>> overview(std::string author);

  struct ReleaseFiles {
    std::int64_t release = 0;
    Files files;
  };
  // The files of `release`, or of the current one when it is 0; nothing
  // when there is no such release.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<ReleaseFiles>>> release_files(
      std::int64_t release);

  // The author's draft of the file; nothing when the draft has no such file.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<std::string>>> drafted(std::string author,
                                                                                                  std::string name);
  // A unified diff from the current release's file (empty when it has none)
  // to the author's draft of it; nothing when the draft has no such file.
  [[nodiscard]] boost::asio::awaitable<boost::system::result<std::optional<std::string>>> draft_diff(
      std::string author, std::string name);

 private:
  ScriptStore& store_;
};

}  // namespace permit::core
