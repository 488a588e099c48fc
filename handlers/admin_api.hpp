#pragma once

#include "bot/scripts/script_publisher.hpp"
#include "bot/scripts/script_reader.hpp"
#include "bot/scripts/script_registry.hpp"
#include "bot/staff/audit_log.hpp"
#include "handlers/api_common.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace permit::handlers {

// The admins' script API (role admin, on the admin listener; StaffApi
// authenticates and hands these paths over). Files are named like
// "cqupt.json" (a script) or "cqupt.txt" (its transcripts).
//
//   GET    /api/v1/scripts                      the current release's files, and your draft
//   GET    /api/v1/scripts/history              every release: author, time, message
//   GET    /api/v1/scripts/export[?release=N]   a release's files, to write back to disk
//   GET    /api/v1/scripts/NAME[?release=N]     the exact bytes
//   PUT    /api/v1/scripts/NAME/draft           save to your draft (422 with pointers when invalid)
//   GET    /api/v1/scripts/NAME/draft           your draft of it
//   DELETE /api/v1/scripts/NAME/draft           drop it from your draft
//   GET    /api/v1/scripts/NAME/diff            unified diff, published -> your draft
//   POST   /api/v1/scripts/NAME/validate        check a file without saving it
//   POST   /api/v1/scripts/publish              {"base", "message", "migrate"}: your draft goes live
//   POST   /api/v1/scripts/rollback             {"to", "base", "message"}: an earlier release again
//   GET    /api/v1/audit                        the hash-chained log, verified
//
// What may change, and how, is core::ScriptPublisher's to decide, and
// core::ScriptReader reads; this reads requests and writes the answers.
class AdminApi {
 public:
  AdminApi(core::ScriptRegistry& registry, core::AuditLog& audit);

  // Whether the path is one of the above (StaffApi hands those over).
  static bool serves(std::string_view path) {
    return path == "/api/v1/audit" || path == "/api/v1/scripts" || path.starts_with("/api/v1/scripts/");
  }

  boost::asio::awaitable<server::Response> handle(const server::Request& request, const ApiCaller& caller);

 private:
  boost::asio::awaitable<server::Response> file(const server::Request& request, const ApiCaller& caller,
                                                const std::string& name, const std::string& action);
  boost::asio::awaitable<server::Response> publish(const server::Request& request, const ApiCaller& caller);
  boost::asio::awaitable<server::Response> rollback(const server::Request& request, const ApiCaller& caller);
  boost::asio::awaitable<server::Response> list(const ApiCaller& caller, unsigned version);
  boost::asio::awaitable<server::Response> history(unsigned version);
  boost::asio::awaitable<server::Response> release_files(const server::Request& request);

  core::ScriptRegistry& registry_;
  core::AuditLog& audit_;
  core::ScriptPublisher publisher_;
  core::ScriptReader reader_;
};

}  // namespace permit::handlers
