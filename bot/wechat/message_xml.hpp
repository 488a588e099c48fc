#pragma once

#include "bot/wechat/message_fields.hpp"
#include "bot/wechat/protocol_error.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace permit::wechat {

// Child element name -> text of a flat <xml> document.
// Accepts only <xml> with leaf children (text and/or CDATA, concatenated).
// DOCTYPE, ENTITY and every other <! markup except CDATA and comments, and
// any processing instruction other than a leading <?xml ...?>, give
// forbidden_markup; they are refused before the parser sees them. Nothing
// beyond the five predefined entities and numeric references is expanded.
// Anything else that is not such a document gives malformed_xml.
boost::system::result<MessageFields> parse_xml_fields(std::string_view body);

// The form the platform posts, read in place: views into `body`, which
// must outlive them. Nullopt for anything else (parse_xml_fields reads that
// in full); what it reads, parse_xml_fields gives the same fields for.
std::optional<MessageFieldViews> parse_plain_xml(std::string_view body);

struct InboundMessage {
  std::string to_user, from_user;
  std::int64_t create_time = 0;
  std::string msg_type;
  std::string content;  // text: Content; voice: the platform's Recognition, "" without it
  std::optional<std::uint64_t> msg_id;
  std::string event, event_key;
};

// Checks the fields the bot relies on: missing_field when absent,
// bad_field when present but unusable. FromUserName must match
// [A-Za-z0-9_-]{1,128} because it becomes part of Redis keys.
boost::system::result<InboundMessage> message_from_fields(const MessageFields& fields);
boost::system::result<InboundMessage> message_from_fields(const MessageFieldViews& fields);

// Identifies a platform retry: "m:<MsgId>" for messages, and for events
// (which have no MsgId) "e:<From>:<CreateTime>:<Event>:<EventKey>".
std::string dedupe_key(const InboundMessage& message);

// Passive text reply; `]]>` inside any value is split across CDATA sections.
std::string build_text_reply(std::string_view to_user, std::string_view from_user,
                             std::int64_t create_time, std::string_view content);

// Safe-mode reply wrapper around an encrypted payload.
std::string build_encrypted_envelope(std::string_view encrypt, std::string_view msg_signature,
                                     std::string_view timestamp, std::string_view nonce);

// What the platform posts, for test clients and the simulator.
std::string build_text_message(std::string_view to_user, std::string_view from_user,
                               std::int64_t create_time, std::string_view content,
                               std::uint64_t msg_id);
// A voice message; with `recognition` when the account has the platform's
// speech recognition on (the Recognition field), without the field when
// `recognition` is nullopt.
std::string build_voice_message(std::string_view to_user, std::string_view from_user, std::int64_t create_time,
                                std::string_view media_id, std::optional<std::string_view> recognition,
                                std::uint64_t msg_id);
std::string build_event_message(std::string_view to_user, std::string_view from_user,
                                std::int64_t create_time, std::string_view event,
                                std::string_view event_key);
std::string build_encrypted_post_body(std::string_view to_user, std::string_view encrypt);

}  // namespace permit::wechat
