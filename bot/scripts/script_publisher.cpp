#include "bot/scripts/script_publisher.hpp"

#include "bot/util/clock.hpp"
#include "bot/util/digest.hpp"
#include "dialogs/transcript.hpp"

namespace permit::core {
namespace asio = boost::asio;

namespace {

// A transcript problem in the shape of a script error, so that every
// refusal lists its errors one way (the console shows them at file and line).
std::vector<dialogs::ScriptError> as_errors(const std::vector<dialogs::TranscriptProblem>& problems) {
  std::vector<dialogs::ScriptError> out;
  for (const auto& p : problems) out.push_back({p.file, "", p.message, p.line, 1});
  return out;
}

}  // namespace

// The file within the current release plus the editor's draft: a file is
// only valid with the others it will be published with.
asio::awaitable<ScriptResult<ScriptPublisher::Candidate>> ScriptPublisher::check(Editor editor, std::string name,
                                                                                  std::string bytes) {
  auto& store = registry_.store();
  auto current = co_await store.current();
  if (!current) co_return StoreUnavailable{current.error()};
  auto published = co_await store.files(*current);
  if (!published) co_return StoreUnavailable{published.error()};
  if (!*published) co_return StoreNotSeeded{};
  auto draft = co_await store.draft(editor.name);
  if (!draft) co_return StoreUnavailable{draft.error()};
  Files candidate = **published;
  for (const auto& [n, b] : draft->files) candidate[n] = b;
  Candidate out;
  out.current = *current;
  out.draft_base = draft->base;
  if (auto it = candidate.find(name); it != candidate.end()) out.before = util::sha256_hex(it->second);
  if (name.ends_with(".txt")) {
    std::vector<dialogs::TranscriptProblem> problems;
    dialogs::parse_transcripts(name, bytes, problems);
    if (!problems.empty()) co_return ScriptsInvalid{ScriptsInvalid::Why::transcripts_unreadable, as_errors(problems)};
  }
  candidate[name] = std::move(bytes);
  auto built = co_await registry_.build(std::move(candidate), *current + 1, false);
  if (!built.engine) co_return ScriptsInvalid{ScriptsInvalid::Why::scripts_invalid, std::move(built.errors)};
  co_return out;
}

asio::awaitable<ScriptResult<Checked>> ScriptPublisher::check_draft(Editor editor, std::string name,
                                                                    std::string bytes) {
  const std::string sha256 = util::sha256_hex(bytes);
  auto checked = co_await check(std::move(editor), std::move(name), std::move(bytes));
  if (!checked) co_return checked.error();
  co_return Checked{sha256};
}

asio::awaitable<ScriptResult<DraftSaved>> ScriptPublisher::save_draft(Editor editor, std::string name,
                                                                      std::string bytes) {
  auto checked = co_await check(editor, name, bytes);
  if (!checked) co_return checked.error();
  const std::string after = util::sha256_hex(bytes);
  auto saved = co_await registry_.store().save_draft(editor.name, name, bytes, checked->current);
  if (!saved) co_return StoreUnavailable{saved.error()};
  auto entry = AuditLog::entry(editor.name, editor.role, "scripts.draft", name, checked->before, after);
  co_await audit_.record(std::move(entry));
  // The draft keeps the base of its first file.
  const std::int64_t base = checked->draft_base != 0 ? checked->draft_base : checked->current;
  co_return DraftSaved{std::move(name), after, base};
}

asio::awaitable<ScriptResult<void>> ScriptPublisher::discard_draft(Editor editor, std::string name) {
  auto dropped = co_await registry_.store().discard_draft(editor.name, name);
  if (!dropped) co_return StoreUnavailable{dropped.error()};
  if (!*dropped) co_return NotInDraft{std::move(name)};
  auto entry = AuditLog::entry(editor.name, editor.role, "scripts.discard_draft", name, util::sha256_hex(**dropped), "");
  co_await audit_.record(std::move(entry));
  co_return ScriptResult<void>{};
}

asio::awaitable<ScriptResult<Published>> ScriptPublisher::publish(Editor editor, PublishRequest request) {
  auto& store = registry_.store();
  auto draft = co_await store.draft(editor.name);
  if (!draft) co_return StoreUnavailable{draft.error()};
  if (draft->files.empty()) co_return DraftEmpty{};
  const std::int64_t base = request.base != 0 ? request.base : draft->base;
  auto current = co_await store.current();
  if (!current) co_return StoreUnavailable{current.error()};
  if (base != *current) co_return StaleBase{base, *current};
  auto published = co_await store.files(base);
  if (!published) co_return StoreUnavailable{published.error()};
  if (!*published) co_return StoreNotSeeded{};
  Files files = **published;
  for (const auto& [n, bytes] : draft->files) files[n] = bytes;

  // The scripts must be valid and pass their own transcripts.
  auto built = co_await registry_.build(files, base + 1, true);
  if (!built.engine) co_return ScriptsInvalid{ScriptsInvalid::Why::scripts_invalid, std::move(built.errors)};
  if (!built.failed.empty())
    co_return ScriptsInvalid{ScriptsInvalid::Why::transcripts_failed, as_errors(built.failed)};
  const auto migration = migration_from_json(request.migrate_json);
  for (const auto& [university, nodes] : migration.universities)
    if (built.engine->university(university) == nullptr) co_return UnknownUniversity{university};
  if (!migration.universities.empty()) {
    auto stranded = co_await store.stranded(migration, *built.engine, base + 1);
    if (!stranded) co_return StoreUnavailable{stranded.error()};
    if (!stranded->empty()) co_return StrandedStudents{std::move(*stranded)};
  }

  ReleaseInfo info;
  info.kind = "publish";
  info.message = std::move(request.message);
  info.migrate = std::move(request.migrate_json);
  auto made = co_await make_release(std::move(editor), base, std::move(files), std::move(info));
  if (!made) co_return made.error();
  Published out;
  out.release = made->release;
  out.base = base;
  for (const auto& [n, bytes] : draft->files) out.files.push_back(n);
  out.transcripts = built.transcripts;
  co_return out;
}

asio::awaitable<ScriptResult<RolledBack>> ScriptPublisher::rollback(Editor editor, RollbackRequest request) {
  auto& store = registry_.store();
  auto files = co_await store.files(request.to);
  if (!files) co_return StoreUnavailable{files.error()};
  if (!*files) co_return NoSuchRelease{request.to};
  auto current = co_await store.current();
  if (!current) co_return StoreUnavailable{current.error()};
  const std::int64_t base = request.base != 0 ? request.base : *current;
  ReleaseInfo info;
  info.kind = "rollback";
  info.message = request.message.empty() ? "rolled back to release " + std::to_string(request.to)
                                         : std::move(request.message);
  info.rolled_back_to = request.to;
  auto made = co_await make_release(std::move(editor), base, std::move(**files), std::move(info));
  if (!made) co_return made.error();
  co_return RolledBack{made->release, request.to};
}

// A publish empties the editor's draft; a rollback names its target in the
// audit. The commit is a compare-and-set on `base`: another admin's publish
// in between makes it stale.
asio::awaitable<ScriptResult<ScriptPublisher::Made>> ScriptPublisher::make_release(Editor editor, std::int64_t base,
                                                                                   Files files, ReleaseInfo info) {
  info.author = editor.name;
  info.time = util::iso_now();
  const std::string action = "scripts." + info.kind;
  const std::string drafted_by = info.kind == "publish" ? editor.name : "";
  const std::string target_note =
      info.rolled_back_to > 0 ? " = release " + std::to_string(info.rolled_back_to) : "";
  auto committed = co_await registry_.store().commit(base, files, std::move(info), drafted_by);
  if (!committed) co_return StoreUnavailable{committed.error()};
  if (committed->stale) co_return StaleBase{base, committed->release};
  auto entry = AuditLog::entry(editor.name, editor.role, action,
                               "release " + std::to_string(committed->release) + target_note, committed->before,
                               committed->after);
  co_await audit_.record(std::move(entry));
  co_await registry_.refresh();
  co_return Made{committed->release};
}

}  // namespace permit::core
