#include "bot/wechat/message_json.hpp"

#include <rapidjson/document.h>

namespace permit::wechat {

bool is_json_body(std::string_view body) {
  auto first = body.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && body[first] == '{';
}

boost::system::result<XmlFields> parse_json_fields(std::string_view body) {
  rapidjson::Document doc;
  // Iterative: nesting cannot exhaust the stack (nested values are refused anyway).
  if (doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size()).HasParseError() || !doc.IsObject())
    return ProtocolError::malformed_xml;
  XmlFields fields;
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

}  // namespace permit::wechat
