#pragma once

#include "bot/wechat/message_xml.hpp"

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace permit::wechat {

// The mini-program customer-service push: the same fields as the XML, as a
// flat JSON object ({"ToUserName", "FromUserName", "CreateTime": int,
// "MsgType", "Content", "MsgId": int} or {"ToUserName", "Encrypt"}).
// Numbers become their decimal text; nested values are refused. Anything
// that is not such an object gives malformed_xml (the body is malformed).
boost::system::result<MessageFields> parse_json_fields(std::string_view body);

// The message in that form: parse_json_fields and message_from_fields read
// it back to an equal message. Used to hold a message in Redis.
std::string to_json_body(const InboundMessage& message);

// Whether a body is the JSON variant: its first non-blank byte is '{'.
bool is_json_body(std::string_view body);

}  // namespace permit::wechat
