#include "handlers/admin_api.hpp"

#include "handlers/query_params.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>

#include <charconv>
#include <map>
#include <optional>
#include <variant>

namespace permit::handlers {
namespace {

using server::http::status;

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

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

void write_errors(JsonWriter& w, const std::vector<dialogs::ScriptError>& errors) {
  w.StartArray();
  for (const auto& e : errors) {
    w.StartObject();
    w.Key("file");
    w.String(e.file);
    w.Key("pointer");
    w.String(e.pointer);
    w.Key("line");
    w.Int(e.line);
    w.Key("column");
    w.Int(e.column);
    w.Key("reason");
    w.String(e.reason);
    w.EndObject();
  }
  w.EndArray();
}

server::Response invalid(const core::ScriptsInvalid& refusal, unsigned version) {
  std::string what = "the scripts are not valid";
  if (refusal.why == core::ScriptsInvalid::Why::transcripts_unreadable) what = "the transcripts cannot be read";
  if (refusal.why == core::ScriptsInvalid::Why::transcripts_failed)
    what = std::to_string(refusal.errors.size()) + " transcript expectations failed; nothing was published";
  return json_answer(status::unprocessable_entity, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("error");
    w.String(what);
    w.Key("errors");
    write_errors(w, refusal.errors);
    w.EndObject();
  });
}

server::Response unavailable(const boost::system::error_code& ec, unsigned version) {
  return error_response(status::service_unavailable, "the script store is unreachable: " + ec.message(), version);
}

server::Response stale_base(const core::StaleBase& refusal, unsigned version) {
  return json_answer(status::conflict, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("error");
    w.String("the release this is based on is no longer current");
    w.Key("base");
    w.Int64(refusal.base);
    w.Key("current");
    w.Int64(refusal.current);
    w.EndObject();
  });
}

server::Response stranded(const core::StrandedStudents& refusal, unsigned version) {
  return json_answer(status::conflict, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("error");
    w.String("the migration would leave students mid-walkthrough without a node to continue from");
    w.Key("stranded");
    w.StartObject();
    for (const auto& [node, count] : refusal.nodes) {
      w.Key(node.data(), static_cast<rapidjson::SizeType>(node.size()));
      w.Int64(count);
    }
    w.EndObject();
    w.EndObject();
  });
}

server::Response refused(const core::ScriptRefusal& refusal, unsigned version) {
  return std::visit(
      Overloaded{
          [&](const core::ScriptsInvalid& r) { return invalid(r, version); },
          [&](const core::StaleBase& r) { return stale_base(r, version); },
          [&](const core::DraftEmpty&) {
            return error_response(status::bad_request,
                                  "your draft is empty: PUT a file to /api/v1/scripts/NAME/draft first", version);
          },
          [&](const core::StoreNotSeeded&) {
            return error_response(status::service_unavailable, "the script store is not seeded yet", version);
          },
          [&](const core::NotInDraft& r) { return error_response(status::not_found, "no draft of " + r.name, version); },
          // Only a rollback names a release that must exist.
          [&](const core::NoSuchRelease&) { return error_response(status::not_found, "no such release", version, "/to"); },
          [&](const core::UnknownUniversity& r) {
            return error_response(status::bad_request, "no such university in the new scripts", version,
                                  "/migrate/" + r.university);
          },
          [&](const core::StrandedStudents& r) { return stranded(r, version); },
          [&](const core::StoreUnavailable& r) { return unavailable(r.error, version); },
      },
      refusal);
}

// ?release=N: N, 0 when absent, -1 when not a number.
std::int64_t release_param(const server::Request& request) {
  const std::string text = QueryParams::parse(request.target()).get_or_empty("release");
  if (text.empty()) return 0;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() && n > 0 ? n : -1;
}

// The files of the release ?release=N names, or of the current one; or the
// answer that says why not.
struct Requested {
  core::ScriptReader::ReleaseFiles release;
  std::optional<server::Response> failure;
};

boost::asio::awaitable<Requested> requested_release(const server::Request& request, core::ScriptReader& reader) {
  const unsigned version = request.version();
  Requested out;
  const std::int64_t wanted = release_param(request);
  if (wanted < 0) {
    out.failure = error_response(status::bad_request, "release must be a number", version, "release");
    co_return out;
  }
  auto files = co_await reader.release_files(wanted);
  if (!files) out.failure = unavailable(files.error(), version);
  else if (!*files) out.failure = error_response(status::not_found, "no such release", version);
  else out.release = std::move(**files);
  co_return out;
}

// A body that is not JSON at all is refused like any other non-object:
// the document stays null and the request's reader says so.
rapidjson::Document body_of(const server::Request& request) {
  rapidjson::Document doc;
  if (!json::parse(doc, request.body())) doc.SetNull();
  return doc;
}

std::string content_type(const std::string& name) {
  return name.ends_with(".json") ? "application/json" : "text/plain; charset=utf-8";
}

void write_file_list(JsonWriter& w, const std::map<std::string, std::string>& sha256_by_name) {
  w.StartArray();
  for (const auto& [name, sha] : sha256_by_name) {
    w.StartObject();
    w.Key("name");
    w.String(name);
    w.Key("sha256");
    w.String(sha);
    w.EndObject();
  }
  w.EndArray();
}

}  // namespace

AdminApi::AdminApi(core::ScriptRegistry& registry, core::AuditLog& audit)
    : registry_(registry), audit_(audit), publisher_(registry, audit), reader_(registry.store()) {}

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
  if (action == "validate" && method == server::http::verb::post) {
    core::Editor editor{caller.name, caller.role};
    auto checked = co_await publisher_.check_draft(std::move(editor), name, request.body());
    if (!checked) co_return refused(checked.error(), version);
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("valid");
      w.Bool(true);
      w.Key("sha256");
      w.String(checked->sha256);
      w.EndObject();
    });
  }
  if (action == "draft" && method == server::http::verb::put) {
    core::Editor editor{caller.name, caller.role};
    auto saved = co_await publisher_.save_draft(std::move(editor), name, request.body());
    if (!saved) co_return refused(saved.error(), version);
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("name");
      w.String(saved->name);
      w.Key("sha256");
      w.String(saved->sha256);
      w.Key("base");
      w.Int64(saved->base);
      w.EndObject();
    });
  }
  if (action == "draft" && method == server::http::verb::delete_) {
    core::Editor editor{caller.name, caller.role};
    auto discarded = co_await publisher_.discard_draft(std::move(editor), name);
    if (!discarded) co_return refused(discarded.error(), version);
    co_return json_answer(status::ok, version, [&](JsonWriter& w) {
      w.StartObject();
      w.Key("discarded");
      w.String(name);
      w.EndObject();
    });
  }
  if (method != server::http::verb::get) co_return error_response(status::method_not_allowed, "not with this method", version);
  if (action == "draft" || action == "diff") {
    std::string author = caller.name;
    boost::system::result<std::optional<std::string>> text = std::optional<std::string>();
    if (action == "draft") text = co_await reader_.drafted(std::move(author), name);
    else text = co_await reader_.draft_diff(std::move(author), name);
    if (!text) co_return unavailable(text.error(), version);
    if (!*text) co_return error_response(status::not_found, "no draft of " + name, version);
    co_return server::make_response(status::ok, std::move(**text), version,
                                    action == "draft" ? content_type(name) : "text/x-diff; charset=utf-8");
  }
  if (!action.empty()) co_return error_response(status::not_found, "no such API", version);
  auto wanted = co_await requested_release(request, reader_);
  if (wanted.failure) co_return std::move(*wanted.failure);
  auto it = wanted.release.files.find(name);
  if (it == wanted.release.files.end())
    co_return error_response(status::not_found, name + " is not in that release", version);
  auto response = server::make_response(status::ok, it->second, version, content_type(name));
  response.set("X-Script-Release", std::to_string(wanted.release.release));
  co_return response;
}

boost::asio::awaitable<server::Response> AdminApi::publish(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  auto wanted = core::read_publish_request(body_of(request));
  if (!wanted) co_return bad_field(wanted.error(), version);
  core::Editor editor{caller.name, caller.role};
  auto published = co_await publisher_.publish(std::move(editor), std::move(*wanted));
  if (!published) co_return refused(published.error(), version);
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("release");
    w.Int64(published->release);
    w.Key("base");
    w.Int64(published->base);
    w.Key("files");
    w.StartArray();
    for (const auto& name : published->files) w.String(name);
    w.EndArray();
    w.Key("transcripts");
    w.Uint64(published->transcripts);
    w.EndObject();
  });
}

boost::asio::awaitable<server::Response> AdminApi::rollback(const server::Request& request, const ApiCaller& caller) {
  const unsigned version = request.version();
  auto wanted = core::read_rollback_request(body_of(request));
  if (!wanted) co_return bad_field(wanted.error(), version);
  core::Editor editor{caller.name, caller.role};
  auto rolled = co_await publisher_.rollback(std::move(editor), std::move(*wanted));
  if (!rolled) co_return refused(rolled.error(), version);
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("release");
    w.Int64(rolled->release);
    w.Key("rolled_back_to");
    w.Int64(rolled->rolled_back_to);
    w.EndObject();
  });
}

boost::asio::awaitable<server::Response> AdminApi::list(const ApiCaller& caller, unsigned version) {
  auto overview = co_await reader_.overview(caller.name);
  if (!overview) co_return unavailable(overview.error(), version);
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("release");
    w.Int64(overview->release);
    w.Key("files");
    write_file_list(w, overview->files);
    w.Key("draft");
    w.StartObject();
    w.Key("base");
    w.Int64(overview->draft_base);
    w.Key("files");
    write_file_list(w, overview->drafted);
    w.EndObject();
    w.EndObject();
  });
}

boost::asio::awaitable<server::Response> AdminApi::history(unsigned version) {
  auto releases = co_await registry_.store().history();
  if (!releases) co_return unavailable(releases.error(), version);
  co_return json_answer(status::ok, version, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("releases");
    w.StartArray();
    for (const auto& release : *releases) core::write_release_info(w, release);
    w.EndArray();
    w.EndObject();
  });
}

boost::asio::awaitable<server::Response> AdminApi::release_files(const server::Request& request) {
  auto wanted = co_await requested_release(request, reader_);
  if (wanted.failure) co_return std::move(*wanted.failure);
  co_return json_answer(status::ok, request.version(), [&](JsonWriter& w) {
    w.StartObject();
    w.Key("release");
    w.Int64(wanted.release.release);
    w.Key("files");
    w.StartObject();
    for (const auto& [name, bytes] : wanted.release.files) {
      w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
      w.String(bytes);
    }
    w.EndObject();
    w.EndObject();
  });
}

}  // namespace permit::handlers
