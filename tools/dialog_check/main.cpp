// permit-dialog: validates the dialog scripts, and lets an author talk to
// the engine without the webhook, Redis or WeChat.
//
//   permit-dialog check [DIR]          validate; exit 1 with one line per error
//   permit-dialog chat [DIR] [--date YYYY-MM-DD]
//                                      read lines from stdin, print replies
//   permit-dialog rank [DIR] --university ID
//                                      read questions from stdin, print the
//                                      ranker's best entries and confidence
//   permit-dialog eval [DIR] --cases tests/devset/dev [--all]
//                                      score a development set, print the misses

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/evaluation.hpp"
#include "dialogs/script_loader.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

using namespace permit::dialogs;

namespace {

int usage() {
  std::cerr << "usage: permit-dialog check [DIR] | chat [DIR] [--date YYYY-MM-DD] | rank [DIR] --university ID\n"
               "       permit-dialog eval [DIR] --cases CASES_DIR [--all]   (score a development set; --all prints every case)\n";
  return 2;
}

int evaluate(const Engine& engine, const std::string& directory, bool every_case) {
  std::vector<std::string> problems;
  const EvalScore score = evaluate_directory(directory, engine, [&](const EvalCase& c, const EvalResult& r) {
    if (r.verdict == EvalResult::Verdict::right && !every_case) return;
    const char* verdict = r.verdict == EvalResult::Verdict::right ? "RIGHT" : r.verdict == EvalResult::Verdict::miss ? "MISS" : "WRONG";
    std::cout << verdict << " " << c.file << ":" << c.line << " " << c.name << " [" << c.kind << "]\n";
    for (const auto& b : c.before) std::cout << "  > " << b << "\n";
    std::cout << "  ? " << c.question << "\n";
    if (!r.why.empty()) std::cout << "  " << r.why << "\n";
    std::string reply = r.reply;
    for (std::size_t at = reply.find('\n'); at != std::string::npos; at = reply.find('\n', at + 4)) reply.replace(at, 1, "\n    ");
    std::cout << "    " << reply << "\n\n";
  }, problems);
  for (const auto& p : problems) std::cerr << "permit-dialog: " << p << "\n";
  if (score.all.total() == 0) return 2;
  std::cout << score.table();
  return problems.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  std::string directory = "dialogs/scripts";
  auto now = std::chrono::system_clock::now();
  std::string university, cases_dir;
  bool every_case = false;
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
    } else if (std::strcmp(argv[i], "--cases") == 0 && i + 1 < argc) {
      cases_dir = argv[++i];
    } else if (std::strcmp(argv[i], "--all") == 0) {
      every_case = true;
    } else {
      directory = argv[i];
    }
  }
  if (mode != "check" && mode != "chat" && mode != "rank" && mode != "eval") return usage();
  auto loaded = load_scripts(directory);
  for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
  if (!loaded.scripts) return 1;
  if (mode == "check") {
    std::cout << "ok: " << loaded.scripts->universities.size() << " universities\n";
    return 0;
  }
  Engine engine(std::move(*loaded.scripts));
  if (mode == "eval") return evaluate(engine, cases_dir, every_case);
  std::string state, line;
  if (mode == "rank") {
    while (std::getline(std::cin, line)) {
      std::cout << "> " << line << "\n";
      const Analysis a = engine.analyse(line);
      if (a.corrected) std::cout << "  read as: " << a.text << "\n";
      for (const auto& m : engine.rank(university, a, 3))
        std::cout << "  " << m.faq->id << "  confidence " << m.confidence << "  score " << m.score
                  << (m.confidence >= Engine::kAnswer ? "" : "  (below the threshold)") << "\n";
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
