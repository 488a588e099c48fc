#include "dialogs/transcript.hpp"

#include "dialogs/dates.hpp"

#include <regex>

namespace permit::dialogs {
namespace {

const char* effect_name(Effect::Kind kind) {
  switch (kind) {
    case Effect::Kind::record_unanswered: return "record_unanswered";
    case Effect::Kind::set_deadline: return "set_deadline";
    case Effect::Kind::forget_student: return "forget_student";
    case Effect::Kind::stop_reminders: return "stop_reminders";
  }
  return "?";
}

}  // namespace

std::string TranscriptProblem::to_string() const { return file + ":" + std::to_string(line) + ": " + message; }

std::vector<Transcript> parse_transcripts(const std::string& file, std::string_view text,
                                          std::vector<TranscriptProblem>& problems) {
  std::vector<Transcript> all;
  int number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line(text.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto rest = line.size() > 2 ? line.substr(2) : std::string();
    if (line.starts_with("=== ")) {
      all.push_back({.name = line.substr(4), .file = file, .line = number, .exchanges = {}});  // the default date
    } else if (all.empty()) {
      problems.push_back({file, number, "a line before the first \"=== name\""});
    } else if (line.starts_with("@date ")) {
      all.back().date = line.substr(6);
    } else if (line.starts_with("> ") || line == ">") {
      all.back().exchanges.push_back({rest, {}});
    } else if ((line[0] == '<' || line[0] == '!' || line[0] == '*') && line.size() > 2 && line[1] == ' ') {
      if (all.back().exchanges.empty()) problems.push_back({file, number, "an expectation before any \">\""});
      else all.back().exchanges.back().expect.push_back({line[0], rest, number});
    } else {
      problems.push_back({file, number, "cannot read: " + line});
    }
  }
  return all;
}

std::vector<TranscriptProblem> run_transcript(const Transcript& t, const Dialog& dialog) {
  std::vector<TranscriptProblem> problems;
  auto today = find_date(t.date);
  if (today.status != DateFound::Status::found) return {{t.file, t.line, "bad @date " + t.date}};
  if (t.exchanges.empty()) return {{t.file, t.line, "an empty transcript"}};
  const auto now = std::chrono::sys_days(today.date) + std::chrono::hours(9);
  std::string state;
  for (const auto& x : t.exchanges) {
    auto out = dialog.respond(state, Inbound{Inbound::Kind::text, x.says}, now);
    state = out.state;
    std::string reply;
    for (const auto& r : out.replies) reply += r + "\n";
    std::string effects;
    for (const auto& e : out.effects)
      effects += std::string(effect_name(e.kind)) + " " + e.university + " " + e.lang + " " + e.text + " " + e.date +
                 " " + e.deadline + "\n";
    const std::string after = "(" + t.name + ") after \"> " + x.says + "\": ";
    for (const auto& e : x.expect) {
      if (e.kind == '*') {
        if (effects.find(e.text) == std::string::npos)
          problems.push_back({t.file, e.line, after + "no effect \"" + e.text + "\" in:\n" + effects});
        continue;
      }
      bool found = false;
      try {
        found = std::regex_search(reply, std::regex(e.text));
      } catch (const std::regex_error& error) {
        problems.push_back({t.file, e.line, after + "not a valid regex /" + e.text + "/: " + error.what()});
        continue;
      }
      if (e.kind == '<' && !found) problems.push_back({t.file, e.line, after + "expected /" + e.text + "/ in:\n" + reply});
      if (e.kind == '!' && found) problems.push_back({t.file, e.line, after + "did not expect /" + e.text + "/ in:\n" + reply});
    }
  }
  return problems;
}

std::vector<TranscriptProblem> run_transcripts(const std::map<std::string, std::string>& files, const Dialog& dialog,
                                               std::size_t* played) {
  std::vector<TranscriptProblem> problems;
  std::size_t count = 0;
  for (const auto& [name, text] : files) {
    if (!name.ends_with(".txt")) continue;
    for (const auto& t : parse_transcripts(name, text, problems)) {
      ++count;
      auto failed = run_transcript(t, dialog);
      problems.insert(problems.end(), failed.begin(), failed.end());
    }
  }
  if (played != nullptr) *played = count;
  return problems;
}

}  // namespace permit::dialogs
