#pragma once

#include "bot/scripts/publish_request.hpp"
#include "bot/scripts/script_registry.hpp"
#include "bot/staff/audit_log.hpp"
#include "dialogs/script_loader.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace permit::core {

// The admin changing the scripts: drafts are theirs, and the audit names them.
struct Editor {
  std::string name;
  std::string role;
};

// Why a change to the scripts was refused. Nothing was changed.
struct ScriptsInvalid {
  enum class Why {
    transcripts_unreadable,  // a .txt file does not parse
    scripts_invalid,         // schema or meaning
    transcripts_failed,      // valid, but their own transcripts do not pass
  };
  Why why;
  std::vector<dialogs::ScriptError> errors;  // a failed transcript: its file and line
};
// The change was made against `base`, but `current` is the release now.
struct StaleBase {
  std::int64_t base = 0;
  std::int64_t current = 0;
};
struct DraftEmpty {};
struct StoreNotSeeded {};
// The draft has no such file.
struct NotInDraft {
  std::string name;
};
struct NoSuchRelease {
  std::int64_t release = 0;
};
// The migration names a university the new scripts do not have.
struct UnknownUniversity {
  std::string university;
};
// Students mid-walkthrough whom the migration would move to a node the new
// scripts lack: node -> how many.
struct StrandedStudents {
  std::map<std::string, std::int64_t> nodes;
};
struct StoreUnavailable {
  boost::system::error_code error;
};
using ScriptRefusal = std::variant<ScriptsInvalid, StaleBase, DraftEmpty, StoreNotSeeded, NotInDraft, NoSuchRelease,
                                   UnknownUniversity, StrandedStudents, StoreUnavailable>;

template <class T>
using ScriptResult = boost::system::result<T, ScriptRefusal>;

// A file that would be valid in the editor's next publish.
struct Checked {
  std::string sha256;  // of its bytes
};
struct DraftSaved {
  std::string name;
  std::string sha256;
  std::int64_t base = 0;  // the release the draft is based on
};
struct Published {
  std::int64_t release = 0;
  std::int64_t base = 0;
  std::vector<std::string> files;  // the draft's files, now live
  std::size_t transcripts = 0;     // played, and passed
};
struct RolledBack {
  std::int64_t release = 0;
  std::int64_t rolled_back_to = 0;
};

// The rules of changing the scripts students are served. A file is checked
// within the current release plus the editor's draft; a publish must build,
// pass every transcript, be based on the current release, and migrate no
// student onto a node that does not exist. Every change is audited, and a
// new release is served here at once (other instances hear of it on the
// store's channel).
class ScriptPublisher {
 public:
  ScriptPublisher(ScriptRegistry& registry, AuditLog& audit) : registry_(registry), audit_(audit) {}

  // Whether `bytes` as file `name` would be valid; saves nothing.
  [[nodiscard]] boost::asio::awaitable<ScriptResult<Checked>> check_draft(Editor editor, std::string name,
                                                                          std::string bytes);
  // The same check, then the file joins the editor's draft.
  [[nodiscard]] boost::asio::awaitable<ScriptResult<DraftSaved>> save_draft(Editor editor, std::string name,
                                                                            std::string bytes);
  [[nodiscard]] boost::asio::awaitable<ScriptResult<void>> discard_draft(Editor editor, std::string name);
  // The editor's draft over the base release becomes the next release.
  [[nodiscard]] boost::asio::awaitable<ScriptResult<Published>> publish(Editor editor, PublishRequest request);
  // An earlier release's files, exactly, become the next release.
  [[nodiscard]] boost::asio::awaitable<ScriptResult<RolledBack>> rollback(Editor editor, RollbackRequest request);

 private:
  struct Candidate {
    std::int64_t current = 0;
    std::int64_t draft_base = 0;  // 0: no draft yet
    std::string before;           // the file's SHA-256 in release + draft, "" when new
  };
  [[nodiscard]] boost::asio::awaitable<ScriptResult<Candidate>> check(Editor editor, std::string name,
                                                                      std::string bytes);
  struct Made {
    std::int64_t release = 0;
  };
  // Commits `files` as the release after `base`, audits it and serves it.
  [[nodiscard]] boost::asio::awaitable<ScriptResult<Made>> make_release(Editor editor, std::int64_t base, Files files,
                                                                        ReleaseInfo info);

  ScriptRegistry& registry_;
  AuditLog& audit_;
};

}  // namespace permit::core
