// The script loader on a script file from memory, as an admin's draft or
// publish reaches it. The input replaces common.json when it says it is one
// ("permit-bot/common"), next to the shipped cqupt.json; otherwise it is a
// university's file, named after its "id" (so that every shipped script is
// a seed as it is), next to the shipped common.json. When the set loads, the
// engine built from it answers a few messages: a script the loader lets
// through must not crash or hang the engine (an FAQ source without a
// university, and a filler word that normalised to nothing, once did).

#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace {

using namespace permit::dialogs;

const ScriptFiles& shipped() {
  static const ScriptFiles files = [] {
    auto all = read_script_files(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts");
    // Two files only: every iteration checks the whole set.
    ScriptFiles two;
    two.files["common.json"] = all.files.at("common.json");
    two.files["cqupt.json"] = all.files.at("cqupt.json");
    two.schema = all.schema;
    return two;
  }();
  return files;
}

// The value of the first "id" member, if it looks like a script id.
std::string id_in(const std::string& text) {
  const auto key = text.find("\"id\"");
  const auto open = key == std::string::npos ? key : text.find('"', text.find(':', key));
  const auto close = open == std::string::npos ? open : text.find('"', open + 1);
  if (close == std::string::npos || close - open - 1 > 32) return "cqupt";
  std::string id = text.substr(open + 1, close - open - 1);
  const bool plain = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  return plain ? id : "cqupt";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string> files;
  if (text.find("permit-bot/common") != std::string::npos) {
    files = shipped().files;
    files["common.json"] = text;
  } else {
    files["common.json"] = shipped().files.at("common.json");
    files[id_in(text) + ".json"] = text;
  }
  auto loaded = load_scripts(files, shipped().schema);
  if (!loaded.scripts) return 0;
  const Engine engine(std::move(*loaded.scripts));
  std::string state;
  const auto now = std::chrono::sys_days{std::chrono::year{2027} / 1 / 15} + std::chrono::hours{3};
  // A common question before a university is picked, then one picked.
  for (const char* message : {"hello", "what can you do?", "1", "how much is the fee", "its opening hours?", "start", "next", "done 1",
                              "my permit expires on 3 March 2027", "中文", "居留许可需要什么材料", "menu", "2"}) {
    state = engine.respond(state, {Inbound::Kind::text, message}, now).state;
  }
  return 0;
}
