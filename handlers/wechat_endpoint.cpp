#include "handlers/wechat_endpoint.hpp"

#include <chrono>

namespace permit::handlers {
namespace asio = boost::asio;
namespace http = server::http;
using server::make_response;
using server::Request;
using server::Response;

namespace {

wechat::SignedQuery signed_query(const QueryParams& query) {
  return {query.get("signature"), query.get("timestamp"), query.get("nonce"), query.get("msg_signature"),
          query.get_or_empty("encrypt_type")};
}

Response refuse(const wechat::Refusal& refusal) {
  const auto status = refusal.kind == wechat::Refusal::Kind::unauthorized ? http::status::unauthorized
                                                                          : http::status::bad_request;
  return make_response(status, refusal.reason + "\n");
}

}  // namespace

WechatEndpoint::UnixClock WechatEndpoint::default_clock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

WechatEndpoint::WechatEndpoint(wechat::Account account, core::InboundPipeline& pipeline, UnixClock clock)
    : account_(std::move(account)), pipeline_(pipeline), clock_(std::move(clock)) {}

Response WechatEndpoint::handshake(const Request& request) const {
  auto query = QueryParams::parse(request.target());
  if (auto refused = wechat::check_signature(account_, signed_query(query), clock_())) return refuse(*refused);
  auto echostr = query.get("echostr");
  if (!echostr) return make_response(http::status::bad_request, "missing echostr\n");
  return make_response(http::status::ok, *echostr);
}

asio::awaitable<Response> WechatEndpoint::receive(Request request) {
  const auto arrival = std::chrono::steady_clock::now();
  auto verified = wechat::read_post(account_, signed_query(QueryParams::parse(request.target())), request.body(),
                                    clock_());
  if (!verified) co_return refuse(verified.error());

  auto answer = co_await pipeline_.handle(verified->message, arrival, verified->json);
  // The platform retries; the student's state has not moved.
  if (!answer) co_return make_response(http::status::service_unavailable, "temporarily unavailable\n");
  if (answer->kind == core::Answer::Kind::deferred || answer->text.empty())
    co_return make_response(http::status::ok, "success");
  co_return make_response(http::status::ok, wechat::passive_reply(account_, *verified, answer->text, clock_()),
                          request.version(), "application/xml; charset=utf-8");
}

}  // namespace permit::handlers
