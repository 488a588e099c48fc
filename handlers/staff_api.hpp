#pragma once

#include "bot/server/http_types.hpp"
#include "bot/staff/broadcast_request.hpp"
#include "bot/staff/broadcasts.hpp"
#include "config/config.hpp"
#include "handlers/admin_api.hpp"
#include "handlers/api_common.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace permit::handlers {

// The staff and admin API, on its own listener (--admin-listen). Every
// request carries "Authorization: Bearer TOKEN"; the token's SHA-256 is
// compared in constant time with the configured ones. 401 when it is
// missing or unknown, 403 when the role may not do this.
//
//   POST   /api/v1/broadcasts[?dry_run=1]   staff, admin
//   GET    /api/v1/broadcasts/ID            staff, admin
//   DELETE /api/v1/broadcasts/ID            staff, admin
//   GET    /api/v1/unanswered               admin: questions the bot could not
//                                           answer, grouped and counted
//   /api/v1/scripts..., /api/v1/audit        admin: see AdminApi
//
// Every broadcast created or cancelled is appended to the audit log.
//
// Bad input gets 400 with the JSON pointer of the field at fault, and
// nothing is queued.
class StaffApi {
 public:
  using UniversityCheck = core::UniversityCheck;

  StaffApi(std::vector<config::ApiToken> tokens, redis::Client& redis, core::Broadcasts& broadcasts,
           UniversityCheck known_university, core::AuditLog& audit, AdminApi& admin);

  boost::asio::awaitable<server::Response> handle(server::Request request);
  // For a caller already known (the console's session: see AdminGate).
  boost::asio::awaitable<server::Response> handle_as(server::Request request, ApiCaller caller);
  // The configured token the request's bearer header names, if any.
  std::optional<ApiCaller> authenticate(const server::Request& request) const;

 private:
  boost::asio::awaitable<server::Response> create(const server::Request& request, const ApiCaller& caller);
  boost::asio::awaitable<server::Response> unanswered(unsigned version);

  std::vector<config::ApiToken> tokens_;
  redis::Client& redis_;
  core::Broadcasts& broadcasts_;
  UniversityCheck known_university_;
  core::AuditLog& audit_;
  AdminApi& admin_;
};

}  // namespace permit::handlers
