#include "dialogs/counting_dialog.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::dialogs {

Outcome CountingDialog::respond(std::string_view state, const Inbound& message,
                                std::chrono::system_clock::time_point now) const {
  std::int64_t count = 0;
  bool subscribed = true;
  rapidjson::Document doc;
  if (!state.empty() && !doc.Parse(state.data(), state.size()).HasParseError() && doc.IsObject()) {
    if (doc.HasMember("messages") && doc["messages"].IsInt64()) count = doc["messages"].GetInt64();
    if (doc.HasMember("subscribed") && doc["subscribed"].IsBool()) subscribed = doc["subscribed"].GetBool();
  }
  Outcome out;
  switch (message.kind) {
    case Inbound::Kind::text:
      ++count;
      out.replies.push_back("Message " + std::to_string(count) + " received: " + message.text);
      break;
    case Inbound::Kind::subscribe:
      subscribed = true;
      out.replies.push_back("Welcome to permit-bot! / 欢迎使用 permit-bot！");
      break;
    case Inbound::Kind::unsubscribe:
      subscribed = false;
      break;
    case Inbound::Kind::unsupported:
      out.replies.push_back("Sorry, I can only read text messages. / 抱歉，我只能读取文字消息。");
      break;
    case Inbound::Kind::ignored:
      break;
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("messages");
  writer.Int64(count);
  writer.Key("subscribed");
  writer.Bool(subscribed);
  writer.Key("updated");
  writer.Int64(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  writer.EndObject();
  out.state = buffer.GetString();
  return out;
}

}  // namespace permit::dialogs
