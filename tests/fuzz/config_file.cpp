// The config loader on a file's content (config::load reads it from a path,
// so the input is written to a file of this process first), and the
// parsers of the settings given as flags or variables.

#include "config/config.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = "/tmp/permit-fuzz-config-" + std::to_string(getpid()) + ".json";
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(data, 1, size, f);
    std::fclose(f);
  }
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  (void)permit::config::load({"--config", path}, no_env);
  std::string error;
  (void)permit::config::parse_redis_url(text, error);
  (void)permit::config::parse_host_port(text, error);
  return 0;
}
