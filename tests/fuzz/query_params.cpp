// The request target's query string (handlers/query_params), as every
// webhook request's signature, timestamp and nonce are read from it.

#include "handlers/query_params.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  auto params = permit::handlers::QueryParams::parse(target);
  for (const char* name : {"signature", "timestamp", "nonce", "echostr", "encrypt_type", "msg_signature", "openid"})
    (void)params.get_or_empty(name);
  return 0;
}
