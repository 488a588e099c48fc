// The JSON push variant of the webhook (mini-program customer service):
// parse_json_fields, then message_from_fields.

#include "bot/wechat/message_json.hpp"
#include "bot/wechat/message_xml.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)permit::wechat::is_json_body(body);
  auto fields = permit::wechat::parse_json_fields(body);
  if (!fields) return 0;
  auto message = permit::wechat::message_from_fields(*fields);
  if (!message) return 0;
  // Written out and read back, a message is the same message.
  auto again = permit::wechat::parse_json_fields(permit::wechat::to_json_body(*message));
  if (!again) std::abort();
  auto same = permit::wechat::message_from_fields(*again);
  if (!same || permit::wechat::dedupe_key(*same) != permit::wechat::dedupe_key(*message) ||
      same->content != message->content)
    std::abort();
  return 0;
}
