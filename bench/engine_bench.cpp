// bench-engine: the dialog engine's cost per message with all scripts
// loaded, question ranking included. Prints the median and the 99th
// percentile over every timed call, per kind of message and overall.
//
//   build/bench-engine [SCRIPTS_DIR] [ROUNDS]

#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace permit::dialogs;
using Clock = std::chrono::steady_clock;

namespace {

struct Case {
  const char* kind;
  const char* university;  // the student's state before the message
  const char* text;
};

// A mix of what students send, in both languages, at every university.
const Case kCases[] = {
    {"question", "cqupt", "How much does the residence permit cost?"},
    {"question", "cqupt", "居留许可多少钱？"},
    {"question", "jsnu", "How early do I have to apply for the extension?"},
    {"question", "jsnu", "护照丢了怎么办？"},
    {"question", "nenu", "Where is the hospital for the physical examination?"},
    {"question", "nenu", "体检需要空腹吗？"},
    {"question", "hust", "Where do I submit the paper materials?"},
    {"question", "hust", "同济校区的学生怎么办理？"},
    {"question", "cpu", "What if my application is rejected?"},
    {"question", "cpu", "保险凭据怎么上传？"},
    {"question", "cqupt", "wat docs do i need 4 extension"},
    {"question", "hust", "i got the offical leter, whats next"},
    {"twopart", "nenu", "where is the immigration office and how much is the fee"},
    {"twopart", "nenu", "体检医院在哪，几点开门"},
    {"unanswered", "cqupt", "Can I bring my cat to the dormitory?"},
    {"command", "jsnu", "next"},
    {"command", "nenu", "进度"},
    {"command", "cqupt", "done 2"},
    {"date", "jsnu", "my permit expires on 31 March 2028"},
    {"date", "cqupt", "2027年3月1日"},
    {"date", "hust", "I received the official letter on 15 January 2027"},
    {"date", "jsnu", "I moved to a new flat off campus yesterday"},
    {"university", "", "Huazhong University of Science and Technology"},
};

double percentile(std::vector<double>& v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "dialogs/scripts";
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 2000;
  auto loaded = load_scripts(dir);
  for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
  if (!loaded.scripts) return 1;
  const Engine engine(std::move(*loaded.scripts));
  const auto now = std::chrono::system_clock::now();

  // Each case starts from the state of a student mid-walkthrough at that
  // university, as the bot would load it.
  std::vector<std::string> states;
  for (const auto& c : kCases) {
    std::string state;
    if (*c.university != '\0') {
      for (const char* setup : {c.university, "start", "1", "next"})
        state = engine.respond(state, Inbound{Inbound::Kind::text, setup}, now).state;
    }
    states.push_back(state);
  }

  std::map<std::string, std::vector<double>> by_kind;
  std::vector<double> all;
  std::size_t sink = 0;
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < std::size(kCases); ++i) {
      const Inbound message{Inbound::Kind::text, kCases[i].text};
      auto start = Clock::now();
      auto out = engine.respond(states[i], message, now);
      auto micros = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
      sink += out.state.size() + (out.replies.empty() ? 0 : out.replies[0].size());
      if (r == 0) continue;  // warm-up round
      by_kind[kCases[i].kind].push_back(micros);
      all.push_back(micros);
    }
  }
  std::printf("%-12s %8s %10s %10s\n", "messages", "calls", "median_us", "p99_us");
  for (auto& [kind, v] : by_kind)
    std::printf("%-12s %8zu %10.2f %10.2f\n", kind.c_str(), v.size(), percentile(v, 0.5), percentile(v, 0.99));
  std::printf("%-12s %8zu %10.2f %10.2f\n", "all", all.size(), percentile(all, 0.5), percentile(all, 0.99));
  return sink == 0 ? 1 : 0;
}
