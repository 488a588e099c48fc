// permit-dialog: validates the dialog scripts, and lets an author talk to
// the engine without the webhook, Redis or WeChat.
//
//   permit-dialog check [DIR]          validate; exit 1 with one line per error
//   permit-dialog chat [DIR] [--date YYYY-MM-DD]
//                                      read lines from stdin, print replies
//   permit-dialog rank [DIR] --university ID
//                                      read questions from stdin, print the
//                                      ranker's best entries and confidence

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"

#include <chrono>
#include <cstring>
#include <iostream>
#include <string>

using namespace permit::dialogs;

namespace {

int usage() {
  std::cerr << "usage: permit-dialog check [DIR] | chat [DIR] [--date YYYY-MM-DD] | rank [DIR] --university ID\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  std::string directory = "dialogs/scripts";
  auto now = std::chrono::system_clock::now();
  std::string university;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
      auto found = find_date(argv[++i]);
      if (found.status != DateFound::Status::found) {
        std::cerr << "permit-dialog: --date: not a date: " << argv[i] << "\n";
        return 2;
      }
      now = std::chrono::sys_days(found.date);
    } else if (std::strcmp(argv[i], "--university") == 0 && i + 1 < argc) {
      university = argv[++i];
    } else {
      directory = argv[i];
    }
  }
  if (mode != "check" && mode != "chat" && mode != "rank") return usage();
  auto loaded = load_scripts(directory);
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.scripts) return 1;
  if (mode == "check") {
    std::cout << "ok: " << loaded.scripts->universities.size() << " universities\n";
    return 0;
  }
  Engine engine(std::move(*loaded.scripts));
  std::string state, line;
  if (mode == "rank") {
    while (std::getline(std::cin, line)) {
      std::cout << "> " << line << "\n";
      for (const auto& m : engine.rank(university, line, 3))
        std::cout << "  " << m.faq->id << "  confidence " << m.confidence
                  << (m.confidence >= Engine::kConfidence ? "" : "  (below the threshold)") << "\n";
    }
    return 0;
  }
  while (std::getline(std::cin, line)) {
    Inbound message{Inbound::Kind::text, line};
    auto outcome = engine.respond(state, message, now);
    state = outcome.state;
    std::cout << "> " << line << "\n";
    for (const auto& r : outcome.replies) std::cout << r << "\n";
    for (const auto& e : outcome.effects)
      std::cout << "[effect " << static_cast<int>(e.kind) << " " << e.university << " " << e.text << e.date << " "
                << e.deadline << "]\n";
    std::cout << "\n";
  }
  return 0;
}
