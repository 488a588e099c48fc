#include "handlers/admin_api.hpp"

#include "bot/util/clock.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "bot/util/text_diff.hpp"
#include "handlers/query_params.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

#include <charconv>

namespace permit::handlers {
namespace {

using server::http::status;
using core::Files;

// "cqupt.json" or "cqupt.txt": lower-case letters, digits, '-' and '_'.
// schema.json belongs to the code, not to the admins.
bool valid_name(const std::string& name) {
  const auto dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot > 64 || name == "schema.json") return false;
  const std::string ext = name.substr(dot);
  if (ext != ".json" && ext != ".txt") return false;
  for (std::size_t i = 0; i < dot; ++i) {
    const char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

std::string errors_json(const std::vector<dialogs::ScriptError>& errors) {
  std::string out = "[";
  for (const auto& e : errors)
    out += std::string(out.size() > 1 ? "," : "") + "{\"file\":" + util::json_quote(e.file) +
           ",\"pointer\":" + util::json_quote(e.pointer) + ",\"line\":" + std::to_string(e.line) +
           ",\"column\":" + std::to_string(e.column) + ",\"reason\":" + util::json_quote(e.reason) + "}";
  return out + "]";
}

std::vector<dialogs::ScriptError> as_errors(const std::vector<dialogs::TranscriptProblem>& problems) {
  std::vector<dialogs::ScriptError> out;
  for (const auto& p : problems) out.push_back({p.file, "", p.message, p.line, 1});
  return out;
}

server::Response invalid(const std::vector<dialogs::ScriptError>& errors, unsigned version,
                         const std::string& what = "the scripts are not valid") {
  return json_response(status::unprocessable_entity,
                       "{\"error\":" + util::json_quote(what) + ",\"errors\":" + errors_json(errors) + "}", version);
}

server::Response unavailable(const boost::system::error_code& ec, unsigned version) {
  return error_response(status::service_unavailable, "the script store is unreachable: " + ec.message(), version);
}

// ?release=N: N, 0 when absent, -1 when not a number.
std::int64_t release_param(const server::Request& request) {
  const std::string text = QueryParams::parse(request.target()).get_or_empty("release");
  if (text.empty()) return 0;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() && n > 0 ? n : -1;
}

// The files of the release ?release=N names, or of the current one.
struct Requested {
  std::int64_t release = 0;
  Files files;
  std::optional<server::Response> failure;
};

boost::asio::awaitable<Requested> requested_release(const server::Request& request, core::ScriptStore& store) {
  const unsigned version = request.version();
  Requested out;
  out.release = release_param(request);
  if (out.release < 0) {
    out.failure = error_response(status::bad_request, "release must be a number", version, "release");
    co_return out;
  }
  if (out.release == 0) {
    auto current = co_await store.current();
    if (!current) {
      out.failure = unavailable(current.error(), version);
      co_return out;
    }
    out.release = *current;
  }
  auto files = co_await store.files(out.release);
  if (!files) out.failure = unavailable(files.error(), version);
  else if (!*files) out.failure = error_response(status::not_found, "no such release", version);
  else out.files = std::move(**files);
  co_return out;
}

std::int64_t int_member(const rapidjson::Value& doc, const char* name, bool& bad) {
  if (!doc.HasMember(name)) return 0;
  if (!doc[name].IsInt64() || doc[name].GetInt64() <= 0) bad = true;
  return bad ? 0 : doc[name].GetInt64();
}

bool parse_object(const server::Request& request, rapidjson::Document& doc) {
  return json::parse(doc, request.body()) && doc.IsObject();
}

server::Response stale_base(std::int64_t base, std::int64_t current, unsigned version) {
  return json_response(status::conflict,
                       "{\"error\":\"the release this is based on is no longer current\",\"base\":" +
                           std::to_string(base) + ",\"current\":" + std::to_string(current) + "}",
                       version);
}

std::string content_type(const std::string& name) {
  return name.ends_with(".json") ? "application/json" : "text/plain; charset=utf-8";
}

}  // namespace

boost::asio::awaitable<server::Response> AdminApi::handle(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  if (caller.role != "admin") co_return error_response(status::forbidden, "only admins may do this", version);
  const std::string path(server::target_path(request.target()));
  const auto method = request.method();
  if (path == "/api/v1/audit") {
    if (method != server::http::verb::get) co_return error_response(status::method_not_allowed, "use GET", version);
    auto chain = co_await audit_.read();
    if (!chain) co_return unavailable(chain.error(), version);
    co_return json_response(status::ok, core::audit_json(*chain), version);
  }
  if (path == "/api/v1/scripts") co_return co_await list(caller, version);
  const std::string rest = path.substr(std::string_view("/api/v1/scripts/").size());
  if (rest == "history") co_return co_await history(version);
  if (rest == "export") co_return co_await release_files(request);
  if (rest == "publish" || rest == "rollback") {
    if (method != server::http::verb::post) co_return error_response(status::method_not_allowed, "use POST", version);
    if (rest == "publish") co_return co_await publish(request, caller);
    co_return co_await rollback(request, caller);
  }
  const auto slash = rest.find('/');
  const std::string name = rest.substr(0, slash);
  const std::string action = slash == std::string::npos ? "" : rest.substr(slash + 1);
  if (!valid_name(name))
    co_return error_response(status::not_found, "no such script file (names look like cqupt.json or cqupt.txt)", version);
  co_return co_await file(request, caller, name, action);
}

boost::asio::awaitable<server::Response> AdminApi::file(const server::Request& request, const ApiCaller& caller,
                                                        const std::string& name, const std::string& action) {
  const unsigned version = request.version();
  const auto method = request.method();
  auto& store = registry_.store();
  if (action == "validate" && method == server::http::verb::post) co_return co_await save(request, caller, name, false);
  if (action == "draft" && method == server::http::verb::put) co_return co_await save(request, caller, name, true);
  if (action == "draft" && method == server::http::verb::delete_) {
    auto dropped = co_await store.discard_draft(caller.name, name);
    if (!dropped) co_return unavailable(dropped.error(), version);
    if (!*dropped) co_return error_response(status::not_found, "no draft of " + name, version);
    auto entry = core::AuditLog::entry(caller.name, caller.role, "scripts.discard_draft", name,
                                       util::sha256_hex(**dropped), "");
    co_await audit_.record(std::move(entry));
    co_return json_response(status::ok, "{\"discarded\":" + util::json_quote(name) + "}", version);
  }
  if (method != server::http::verb::get) co_return error_response(status::method_not_allowed, "not with this method", version);
  if (action == "draft" || action == "diff") {
    auto draft = co_await store.draft(caller.name);
    if (!draft) co_return unavailable(draft.error(), version);
    auto mine = draft->files.find(name);
    if (mine == draft->files.end()) co_return error_response(status::not_found, "no draft of " + name, version);
    if (action == "draft") co_return server::make_response(status::ok, mine->second, version, content_type(name));
    auto current = co_await store.current();
    if (!current) co_return unavailable(current.error(), version);
    auto published = co_await store.files(*current);
    if (!published) co_return unavailable(published.error(), version);
    std::string before;
    if (*published)
      if (auto it = (*published)->find(name); it != (*published)->end()) before = it->second;
    const std::string label = "release " + std::to_string(*current);
    co_return server::make_response(
        status::ok, util::unified_diff(before, mine->second, name + " (" + label + ")", name + " (draft)"), version,
        "text/x-diff; charset=utf-8");
  }
  if (!action.empty()) co_return error_response(status::not_found, "no such API", version);
  auto wanted = co_await requested_release(request, store);
  if (wanted.failure) co_return std::move(*wanted.failure);
  auto it = wanted.files.find(name);
  if (it == wanted.files.end()) co_return error_response(status::not_found, name + " is not in that release", version);
  auto response = server::make_response(status::ok, it->second, version, content_type(name));
  response.set("X-Script-Release", std::to_string(wanted.release));
  co_return response;
}

// Checks the file within the current release plus the caller's draft, and
// (when `keep`) saves it to the draft. Nothing is saved when it is invalid.
boost::asio::awaitable<server::Response> AdminApi::save(const server::Request& request, const ApiCaller& caller,
                                                        const std::string& name, bool keep) {
  const unsigned version = request.version();
  auto& store = registry_.store();
  auto current = co_await store.current();
  if (!current) co_return unavailable(current.error(), version);
  auto published = co_await store.files(*current);
  if (!published) co_return unavailable(published.error(), version);
  if (!*published) co_return error_response(status::service_unavailable, "the script store is not seeded yet", version);
  auto draft = co_await store.draft(caller.name);
  if (!draft) co_return unavailable(draft.error(), version);
  Files candidate = **published;
  for (const auto& [n, bytes] : draft->files) candidate[n] = bytes;
  const std::string before = candidate.contains(name) ? util::sha256_hex(candidate[name]) : "";
  candidate[name] = request.body();
  if (name.ends_with(".txt")) {
    std::vector<dialogs::TranscriptProblem> problems;
    dialogs::parse_transcripts(name, request.body(), problems);
    if (!problems.empty()) co_return invalid(as_errors(problems), version, "the transcripts cannot be read");
  }
  auto built = co_await registry_.build(std::move(candidate), *current + 1, false);
  if (!built.engine) co_return invalid(built.errors, version);
  const std::string after = util::sha256_hex(request.body());
  if (!keep) co_return json_response(status::ok, "{\"valid\":true,\"sha256\":" + util::json_quote(after) + "}", version);
  auto saved = co_await store.save_draft(caller.name, name, request.body(), *current);
  if (!saved) co_return unavailable(saved.error(), version);
  auto entry = core::AuditLog::entry(caller.name, caller.role, "scripts.draft", name, before, after);
  co_await audit_.record(std::move(entry));
  const std::int64_t base = draft->base != 0 ? draft->base : *current;
  co_return json_response(status::ok,
                          "{\"name\":" + util::json_quote(name) + ",\"sha256\":" + util::json_quote(after) +
                              ",\"base\":" + std::to_string(base) + "}",
                          version);
}

boost::asio::awaitable<server::Response> AdminApi::publish(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  rapidjson::Document doc;
  if (!parse_object(request, doc))
    co_return error_response(status::bad_request, "the body must be a JSON object", version, "/");
  bool bad = false;
  std::int64_t base = int_member(doc, "base", bad);
  if (bad) co_return error_response(status::bad_request, "must be a release number", version, "/base");
  const std::string message = util::string_field(doc, "message");
  if (message.empty()) co_return error_response(status::bad_request, "say what changed and why", version, "/message");
  std::string migrate_json;
  if (doc.HasMember("migrate")) {
    const auto& m = doc["migrate"];
    if (!m.IsObject()) co_return error_response(status::bad_request, "must be an object", version, "/migrate");
    for (const auto& u : m.GetObject()) {
      const std::string at = std::string("/migrate/") + u.name.GetString();
      if (!u.value.IsObject())
        co_return error_response(status::bad_request, "must map old node ids to new ones", version, at);
      for (const auto& n : u.value.GetObject())
        if (!n.value.IsString())
          co_return error_response(status::bad_request, "must be a node id", version, at + "/" + n.name.GetString());
    }
    migrate_json = util::to_json(m);
  }

  auto& store = registry_.store();
  auto draft = co_await store.draft(caller.name);
  if (!draft) co_return unavailable(draft.error(), version);
  if (draft->files.empty())
    co_return error_response(status::bad_request, "your draft is empty: PUT a file to /api/v1/scripts/NAME/draft first",
                             version);
  if (base == 0) base = draft->base;
  auto current = co_await store.current();
  if (!current) co_return unavailable(current.error(), version);
  if (base != *current) co_return stale_base(base, *current, version);
  auto published = co_await store.files(base);
  if (!published) co_return unavailable(published.error(), version);
  if (!*published) co_return error_response(status::service_unavailable, "the script store is not seeded yet", version);
  Files files = **published;
  for (const auto& [n, bytes] : draft->files) files[n] = bytes;

  // The scripts must be valid and pass their own transcripts.
  auto built = co_await registry_.build(files, base + 1, true);
  if (!built.engine) co_return invalid(built.errors, version);
  if (!built.failed.empty())
    co_return invalid(as_errors(built.failed), version,
                      std::to_string(built.failed.size()) + " transcript expectations failed; nothing was published");
  const auto migration = core::migration_from_json(migrate_json);
  for (const auto& [university, nodes] : migration.universities)
    if (built.engine->university(university) == nullptr)
      co_return error_response(status::bad_request, "no such university in the new scripts", version,
                               "/migrate/" + university);
  if (!migration.universities.empty()) {
    auto stranded = co_await store.stranded(migration, *built.engine, base + 1);
    if (!stranded) co_return unavailable(stranded.error(), version);
    if (!stranded->empty()) {
      std::string where;
      for (const auto& [node, count] : *stranded)
        where += (where.empty() ? "" : ",") + util::json_quote(node) + ":" + std::to_string(count);
      co_return json_response(status::conflict,
                              "{\"error\":\"the migration would leave students mid-walkthrough without a node to "
                              "continue from\",\"stranded\":{" + where + "}}",
                              version);
    }
  }

  core::ReleaseInfo info;
  info.kind = "publish";
  info.message = message;
  info.migrate = migrate_json;
  auto made = co_await make_release(caller, base, files, std::move(info), version);
  if (made.failure) co_return std::move(*made.failure);
  std::string changed;
  for (const auto& [n, bytes] : draft->files) changed += (changed.empty() ? "" : ",") + util::json_quote(n);
  co_return json_response(status::ok,
                          "{\"release\":" + std::to_string(made.release) + ",\"base\":" + std::to_string(base) +
                              ",\"files\":[" + changed + "],\"transcripts\":" + std::to_string(built.transcripts) + "}",
                          version);
}

boost::asio::awaitable<server::Response> AdminApi::rollback(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  rapidjson::Document doc;
  if (!parse_object(request, doc))
    co_return error_response(status::bad_request, "the body must be a JSON object", version, "/");
  bool bad = false;
  const std::int64_t to = int_member(doc, "to", bad);
  if (bad || to == 0) co_return error_response(status::bad_request, "the release to go back to", version, "/to");
  std::int64_t base = int_member(doc, "base", bad);
  if (bad) co_return error_response(status::bad_request, "must be a release number", version, "/base");
  auto& store = registry_.store();
  auto files = co_await store.files(to);
  if (!files) co_return unavailable(files.error(), version);
  if (!*files) co_return error_response(status::not_found, "no such release", version, "/to");
  auto current = co_await store.current();
  if (!current) co_return unavailable(current.error(), version);
  if (base == 0) base = *current;
  core::ReleaseInfo info;
  info.kind = "rollback";
  info.message = util::string_field(doc, "message");
  if (info.message.empty()) info.message = "rolled back to release " + std::to_string(to);
  info.rolled_back_to = to;
  auto made = co_await make_release(caller, base, **files, std::move(info), version);
  if (made.failure) co_return std::move(*made.failure);
  co_return json_response(status::ok,
                          "{\"release\":" + std::to_string(made.release) +
                              ",\"rolled_back_to\":" + std::to_string(to) + "}",
                          version);
}

// Commits `files` as the release after `base`, audits it and serves it here
// (the other instances hear of it on the channel). A publish empties the
// caller's draft; a rollback names its target in the audit.
boost::asio::awaitable<AdminApi::Made> AdminApi::make_release(const ApiCaller& caller, std::int64_t base,
                                                              const Files& files, core::ReleaseInfo info,
                                                              unsigned version) {
  Made out;
  info.author = caller.name;
  info.time = util::iso_now();
  const std::string action = "scripts." + info.kind;
  const std::string drafted_by = info.kind == "publish" ? caller.name : "";
  const std::string target_note =
      info.rolled_back_to > 0 ? " = release " + std::to_string(info.rolled_back_to) : "";
  auto committed = co_await registry_.store().commit(base, files, std::move(info), drafted_by);
  if (!committed) out.failure = unavailable(committed.error(), version);
  else if (committed->stale) out.failure = stale_base(base, committed->release, version);
  if (out.failure) co_return out;
  out.release = committed->release;
  auto entry = core::AuditLog::entry(caller.name, caller.role, action,
                                     "release " + std::to_string(out.release) + target_note, committed->before,
                                     committed->after);
  co_await audit_.record(std::move(entry));
  co_await registry_.refresh();
  co_return out;
}

boost::asio::awaitable<server::Response> AdminApi::list(const ApiCaller& caller, unsigned version) {
  auto& store = registry_.store();
  auto current = co_await store.current();
  if (!current) co_return unavailable(current.error(), version);
  auto manifest = co_await store.manifest(*current);
  if (!manifest) co_return unavailable(manifest.error(), version);
  auto draft = co_await store.draft(caller.name);
  if (!draft) co_return unavailable(draft.error(), version);
  std::string files, drafted;
  for (const auto& [name, sha] : *manifest)
    files += std::string(files.empty() ? "" : ",") + "{\"name\":" + util::json_quote(name) +
             ",\"sha256\":" + util::json_quote(sha) + "}";
  for (const auto& [name, bytes] : draft->files)
    drafted += std::string(drafted.empty() ? "" : ",") + "{\"name\":" + util::json_quote(name) +
               ",\"sha256\":" + util::json_quote(util::sha256_hex(bytes)) + "}";
  co_return json_response(status::ok,
                          "{\"release\":" + std::to_string(*current) + ",\"files\":[" + files +
                              "],\"draft\":{\"base\":" + std::to_string(draft->base) + ",\"files\":[" + drafted + "]}}",
                          version);
}

boost::asio::awaitable<server::Response> AdminApi::history(unsigned version) {
  auto releases = co_await registry_.store().history();
  if (!releases) co_return unavailable(releases.error(), version);
  std::string body = "{\"releases\":[";
  for (std::size_t i = 0; i < releases->size(); ++i) body += (i ? "," : "") + core::release_info_json((*releases)[i]);
  co_return json_response(status::ok, body + "]}", version);
}

boost::asio::awaitable<server::Response> AdminApi::release_files(const server::Request& request) {
  auto wanted = co_await requested_release(request, registry_.store());
  if (wanted.failure) co_return std::move(*wanted.failure);
  std::string body = "{\"release\":" + std::to_string(wanted.release) + ",\"files\":{";
  bool first = true;
  for (const auto& [name, bytes] : wanted.files) {
    body += std::string(first ? "" : ",") + util::json_quote(name) + ":" + util::json_quote(bytes);
    first = false;
  }
  co_return json_response(status::ok, body + "}}", request.version());
}

}  // namespace permit::handlers
