#include "bot/wechat/message_json.hpp"

#include "json/parse.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::wechat {

bool is_json_body(std::string_view body) {
  auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

boost::system::result<MessageFields> parse_json_fields(std::string_view body) {
  rapidjson::Document doc;
  // (Nested values are refused below; json::parse bounds them before.)
  if (!json::parse(doc, body) || !doc.IsObject())
    return ProtocolError::malformed_xml;
  MessageFields fields;
  for (const auto& m : doc.GetObject()) {
    const std::string name(m.name.GetString(), m.name.GetStringLength());
    if (m.value.IsString()) {
      fields[name] = std::string(m.value.GetString(), m.value.GetStringLength());
    } else if (m.value.IsUint64()) {
      fields[name] = std::to_string(m.value.GetUint64());
    } else if (m.value.IsInt64()) {
      fields[name] = std::to_string(m.value.GetInt64());
    } else {
      return ProtocolError::malformed_xml;
    }
  }
  return fields;
}

std::string to_json_body(const InboundMessage& message) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto field = [&w](const char* name, const std::string& value) {
    w.Key(name);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  field("ToUserName", message.to_user);
  field("FromUserName", message.from_user);
  w.Key("CreateTime");
  w.Int64(message.create_time);
  field("MsgType", message.msg_type);
  if (message.msg_id) {
    w.Key("MsgId");
    w.Uint64(*message.msg_id);
  }
  if (message.msg_type == "event") {
    field("Event", message.event);
    field("EventKey", message.event_key);
  } else {
    // Where message_from_fields reads it back from.
    field(message.msg_type == "voice" ? "Recognition" : "Content", message.content);
  }
  w.EndObject();
  return buffer.GetString();
}

}  // namespace permit::wechat
