#include "handlers/console_api.hpp"

#include "bot/dashboard/broadcast_list.hpp"
#include "bot/dashboard/catalog.hpp"
#include "bot/dashboard/overview.hpp"
#include "bot/util/clock.hpp"
#include "handlers/console_http.hpp"

namespace permit::handlers {
using server::http::status;

bool ConsoleApi::serves(const server::Request& request) {
  const std::string_view path = server::target_path(request.target());
  return request.method() == server::http::verb::get &&
         (path == "/api/v1/console/catalog" || path == "/api/v1/broadcasts" || path == "/api/v1/dashboard");
}

boost::asio::awaitable<server::Response> ConsoleApi::handle(server::Request request) {
  const unsigned version = request.version();
  const std::string_view path = server::target_path(request.target());
  if (path == "/api/v1/console/catalog")
    co_return server::make_response(status::ok, dashboard::catalog_json(*scripts_()) + "\n", version, "application/json");
  if (path == "/api/v1/dashboard") {
    std::vector<std::string> universities;
    for (const auto& u : scripts_()->universities) universities.push_back(u.id);
    auto figures = co_await dashboard::overview_json(redis_, std::move(universities), util::unix_now());
    if (!figures) co_return json_error(status::service_unavailable, version, "unavailable", figures.error().message());
    co_return server::make_response(status::ok, *figures + "\n", version, "application/json");
  }
  auto list = co_await dashboard::recent_broadcasts_json(redis_, 50);
  if (!list) co_return json_error(status::service_unavailable, version, "unavailable", list.error().message());
  co_return server::make_response(status::ok, *list + "\n", version, "application/json");
}

}  // namespace permit::handlers
