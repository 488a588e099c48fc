#pragma once

#include "bot/accounts/sessions.hpp"
#include "bot/redis/replica_acks.hpp"
#include "bot/server/http_types.hpp"
#include "handlers/console_api.hpp"
#include "handlers/console_files.hpp"
#include "handlers/session_api.hpp"
#include "handlers/staff_api.hpp"
#include "handlers/users_api.hpp"

#include <boost/asio/awaitable.hpp>

namespace permit::handlers {

// Everything on the admin listener goes through here:
//   /console/...        the console's files (ConsoleFiles); / redirects there
//   /api/v1/session     sign in, who am I, sign out (SessionApi)
//   /api/v1/users...    accounts (UsersApi)
//   GET /api/v1/console/catalog, /api/v1/broadcasts, /api/v1/dashboard   (ConsoleApi)
//   /api/v1/...         the rest (StaffApi)
// Who is calling: a bearer token from the config (scripts, permit-botctl),
// or else the session cookie. A request with the cookie that changes
// something must also come from our own pages: an Origin naming this server
// and the session's CSRF token in X-CSRF-Token, or it gets 403 and changes
// nothing (signing in, which has no session yet, needs the Origin).
// Every answer carries the security headers (a strict CSP, no framing,
// nosniff, no referrer), and API answers are never cached.
//
// Acknowledged means replicated, for staff and admins too: with `replicas`
// (Sentinel), a change answered 2xx is first confirmed on a replica with
// WAIT; unconfirmed, the answer is 503 "unconfirmed", which says the change
// was made but may not survive a failover, so reload before repeating it.
// Every staff and admin write (broadcasts, scripts, accounts, sessions, the
// audit chain) goes through the one Redis connection WAIT runs on.
class AdminGate {
 public:
  AdminGate(StaffApi& staff, SessionApi& session, UsersApi& users, ConsoleApi& console, const ConsoleFiles& files,
            accounts::Sessions& sessions, redis::ReplicaAcks* replicas = nullptr)
      : staff_(staff),
        session_(session),
        users_(users),
        console_(console),
        files_(files),
        sessions_(sessions),
        replicas_(replicas) {}

  boost::asio::awaitable<server::Response> handle(server::Request request);

  static void add_security_headers(server::Response& response);

 private:
  boost::asio::awaitable<server::Response> route(server::Request request);

  StaffApi& staff_;
  SessionApi& session_;
  UsersApi& users_;
  ConsoleApi& console_;
  const ConsoleFiles& files_;
  accounts::Sessions& sessions_;
  redis::ReplicaAcks* replicas_;
};

}  // namespace permit::handlers
