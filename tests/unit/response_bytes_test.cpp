#include "bot/server/response_bytes.hpp"

#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>

#include <sstream>

namespace permit::server {
namespace {

// What http::async_write would have sent: Beast's own serializer.
std::string beast_bytes(const Response& response) {
  std::ostringstream out;
  out << response;
  return out.str();
}

TEST(ResponseBytes, AreTheBytesBeastWrites) {
  std::vector<Response> responses;
  responses.push_back(make_response(http::status::ok, "<xml>reply</xml>", 11, "application/xml; charset=utf-8"));
  responses.push_back(make_response(http::status::ok, "success"));
  responses.push_back(make_response(http::status::unauthorized, "bad signature\n"));
  responses.push_back(make_response(http::status::service_unavailable, "temporarily unavailable\n", 10));
  responses.push_back(make_response(http::status::no_content, ""));
  auto closing = make_response(http::status::ok, "bye");
  closing.keep_alive(false);
  responses.push_back(std::move(closing));
  auto old_keep_alive = make_response(http::status::ok, "kept", 10);
  old_keep_alive.keep_alive(true);
  responses.push_back(std::move(old_keep_alive));
  auto own_reason = make_response(http::status::bad_request, "no");
  own_reason.reason("Not Like That");
  own_reason.insert("X-Extra", "a");
  own_reason.insert("X-Extra", "b");
  responses.push_back(std::move(own_reason));
  auto unknown_status = make_response(http::status::ok, "?");
  unknown_status.result(599);
  responses.push_back(std::move(unknown_status));
  for (const auto& response : responses) {
    auto bytes = response_bytes(response);
    ASSERT_TRUE(bytes);
    EXPECT_EQ(*bytes, beast_bytes(response));
  }
}

TEST(ResponseBytes, LeaveAChunkedResponseToBeast) {
  auto chunked = make_response(http::status::ok, "x");
  chunked.chunked(true);
  EXPECT_FALSE(response_bytes(chunked));
}

}  // namespace
}  // namespace permit::server
