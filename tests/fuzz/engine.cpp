// The dialog engine's respond(), with the shipped scripts, on a crafted
// state and a few messages in a row. Input: the state's JSON on the first
// line, then one message per line (at most 4), each optionally starting
// with its kind ("voice:", "subscribe:", "unsubscribe:", "image:",
// "event:"); otherwise it is text. Each turn is 7 minutes after the last.
//
// Besides crashes, undefined behaviour and hangs, one promise is checked:
// what the bot keeps of a message (an unanswered question, a question
// deferred in the state) never holds 5 digits in a row.

#include "dialogs/engine.hpp"
#include "dialogs/script_loader.hpp"
#include "dialogs/student_state.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace permit::dialogs;

const Engine& shipped_engine() {
  static const Engine* engine = [] {
    auto loaded = load_scripts(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts");
    if (!loaded.scripts) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
      std::abort();
    }
    return new Engine(std::move(*loaded.scripts));
  }();
  return *engine;
}

bool has_digit_run(std::string_view text) {
  int run = 0;
  for (char c : text) {
    run = (c >= '0' && c <= '9') ? run + 1 : 0;
    if (run >= 5) return true;
  }
  return false;
}

Inbound inbound(std::string_view line) {
  static const std::pair<std::string_view, Inbound::Kind> kinds[] = {
      {"voice:", Inbound::Kind::voice},
      {"subscribe:", Inbound::Kind::subscribe},
      {"unsubscribe:", Inbound::Kind::unsubscribe},
      {"image:", Inbound::Kind::unsupported},
      {"event:", Inbound::Kind::ignored},
  };
  for (const auto& [prefix, kind] : kinds)
    if (line.starts_with(prefix)) return {kind, std::string(line.substr(prefix.size()))};
  return {Inbound::Kind::text, std::string(line)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Engine& engine = shipped_engine();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto first = input.find('\n');
  std::string state(input.substr(0, first));
  input = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  // A digit run the crafted state brought along is not the engine's doing.
  const bool watch_privacy = !has_digit_run(StudentState::parse(state).deferred_question);

  std::chrono::system_clock::time_point now =
      std::chrono::sys_days{std::chrono::year{2027} / 1 / 15} + std::chrono::hours{3};
  for (int turn = 0; turn < 4 && !input.empty(); ++turn) {
    const auto end = input.find('\n');
    const Inbound message = inbound(input.substr(0, end));
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    Outcome outcome = engine.respond(state, message, now);
    if (watch_privacy) {
      for (const auto& effect : outcome.effects)
        if (effect.kind == Effect::Kind::record_unanswered && has_digit_run(effect.text)) {
          std::fprintf(stderr, "unanswered question kept with a number: %s\n", effect.text.c_str());
          std::abort();
        }
      const auto kept = StudentState::parse(outcome.state).deferred_question;
      if (has_digit_run(kept)) {
        std::fprintf(stderr, "question deferred with a number: %s\n", kept.c_str());
        std::abort();
      }
    }
    state = std::move(outcome.state);
    now += std::chrono::minutes{7};
  }
  return 0;
}
