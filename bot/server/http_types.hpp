#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace permit::server {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Runs on the connection's strand; it must not block.
using RequestHandler = std::function<boost::asio::awaitable<Response>(Request)>;

// Sees every response the server sends, including the ones it makes itself
// (413, 431, 503), so metrics count them all.
using ResponseObserver = std::function<void(std::string_view path, unsigned status)>;

// The server sets this header on every request to the client's address
// (replacing any the client sent).
inline constexpr std::string_view kPeerHeader = "X-Permit-Peer";

// The path of a request target, without its query string.
inline std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

Response make_response(http::status status, std::string body, unsigned version = 11,
                       std::string_view content_type = "text/plain; charset=utf-8");

}  // namespace permit::server
