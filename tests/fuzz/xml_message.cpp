// The webhook's XML: parse_xml_fields, then message_from_fields and the
// dedupe key, as handlers/wechat_endpoint does with a body (or a decrypted
// safe-mode payload).

#include "bot/wechat/message_xml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto fields = permit::wechat::parse_xml_fields(body);
  if (!fields) return 0;
  auto message = permit::wechat::message_from_fields(*fields);
  if (!message) return 0;
  // What the checks promise: an openid fit for a Redis key, and a key to
  // tell retries apart.
  if (message->from_user.empty() || message->from_user.size() > 128) std::abort();
  if (permit::wechat::dedupe_key(*message).empty()) std::abort();
  // The reply to it must read back as what was said.
  const std::string reply = permit::wechat::build_text_reply(message->from_user, message->to_user, 1, "ok ]]> <x>");
  auto back = permit::wechat::parse_xml_fields(reply);
  if (!back || back->at("Content") != "ok ]]> <x>") std::abort();
  return 0;
}
