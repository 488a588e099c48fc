#include "dialogs/evaluation.hpp"

#include "dialogs/dates.hpp"
#include "dialogs/text.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace permit::dialogs {
namespace {

// What "the page does not say" looks like in the bot's replies, and what
// asking back looks like.
constexpr const char* kSilent =
    "does not (give|say|state|set|mention)|doesn.t (give|say|state|mention)|not stated|sets no|gives no|could not find|"
    "没有写明|没有规定|没有说明|没有找到|没有提到|未写明|未说明|没有给出|页面没有|没有列出";
constexpr const char* kAsk = "\\?|？|Reply with a number|请回复编号";

// std::regex reads bytes: in "15 ?个?工作日" the "?" would make only the
// last byte of 个 optional. A character of more than one byte followed by a
// quantifier, outside a class, becomes a group, so the pattern means what
// its writer meant.
std::string by_characters(const std::string& pattern) {
  std::string out;
  bool in_class = false, escaped = false;
  for (std::size_t i = 0; i < pattern.size();) {
    const auto lead = static_cast<unsigned char>(pattern[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    const std::string ch = pattern.substr(i, length);
    i += length;
    if (length == 1) {
      if (!escaped && ch == "[") in_class = true;
      else if (!escaped && ch == "]") in_class = false;
      escaped = !escaped && ch == "\\";
      out += ch;
      continue;
    }
    escaped = false;
    const bool quantified = i < pattern.size() && std::string_view("?*+{").find(pattern[i]) != std::string_view::npos;
    out += quantified && !in_class ? "(?:" + ch + ")" : ch;
  }
  return out;
}

bool matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_search(text, std::regex(by_characters(pattern), std::regex::ECMAScript | std::regex::icase));
  } catch (const std::regex_error&) {
    return false;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<EvalCase> parse_eval_cases(const std::string& file, std::string_view text, std::vector<std::string>& problems) {
  std::vector<EvalCase> cases;
  int line_no = 0;
  auto problem = [&](const std::string& what) { problems.push_back(file + ":" + std::to_string(line_no) + ": " + what); };
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("===")) {
      cases.push_back({});
      cases.back().name = std::string(trim(line.substr(3)));
      cases.back().file = file;
      cases.back().line = line_no;
      continue;
    }
    if (cases.empty()) {
      problem("a line before the first ===");
      continue;
    }
    EvalCase& c = cases.back();
    const std::string rest(trim(line.substr(1)));
    if (line.starts_with("@kind")) c.kind = std::string(trim(line.substr(5)));
    else if (line.starts_with("@date")) c.date = std::string(trim(line.substr(5)));
    else if (line.front() == '>') c.before.push_back(rest);
    else if (line.front() == '?') {
      if (!c.question.empty()) problem("a second scored message");
      c.question = rest;
    } else if (line.front() == '+') c.expect.push_back(rest);
    else if (line.front() == '-') c.forbid.push_back(rest);
    else problem("not a line of the format: " + std::string(line));
  }
  for (const auto& c : cases) {
    if (c.question.empty()) problems.push_back(c.file + ":" + std::to_string(c.line) + ": no scored message (?)");
    if (!parse_iso(c.date)) problems.push_back(c.file + ":" + std::to_string(c.line) + ": bad @date " + c.date);
  }
  return cases;
}

EvalResult run_eval_case(const EvalCase& c, const Dialog& dialog) {
  const auto today = parse_iso(c.date).value_or(Date{std::chrono::year{2026}, std::chrono::month{12}, std::chrono::day{5}});
  // Noon in China: a day's messages all fall on that day.
  const auto now = std::chrono::sys_days(today) + std::chrono::hours(4);
  std::string state;
  for (const auto& m : c.before) state = dialog.respond(state, Inbound{Inbound::Kind::text, m}, now).state;
  const Outcome out = dialog.respond(state, Inbound{Inbound::Kind::text, c.question}, now);
  EvalResult r;
  for (const auto& reply : out.replies) r.reply += (r.reply.empty() ? "" : "\n") + reply;
  const bool stated_deadline = std::any_of(out.stated.begin(), out.stated.end(),
                                           [](const std::string& s) { return s.starts_with("deadline:"); });
  for (const auto& f : c.forbid) {
    if (matches(f, r.reply)) {
      r.verdict = EvalResult::Verdict::wrong;
      r.why = "holds the wrong fact /" + f + "/";
      return r;
    }
  }
  bool asked_for = false;  // the case wanted a question back
  int matched = 0;
  for (const auto& e : c.expect) {
    bool ok;
    if (e == "@silent") ok = matches(kSilent, r.reply);
    else if (e == "@ask") ok = (asked_for = true, matches(kAsk, r.reply) && !stated_deadline);
    else ok = matches(e, r.reply);
    if (ok) ++matched;
    else if (r.why.empty()) r.why = "lacks " + (e.front() == '@' ? e : "/" + e + "/");
  }
  if (!r.why.empty()) {
    // A fact stated where none of the wanted ones is (another fact, a
    // deadline where a question back was wanted) is a wrong answer; half
    // of a two-part answer is a miss.
    const bool stated = !out.stated.empty();
    const bool wrong = asked_for ? stated_deadline : stated && matched == 0;
    r.verdict = wrong ? EvalResult::Verdict::wrong : EvalResult::Verdict::miss;
    return r;
  }
  r.verdict = EvalResult::Verdict::right;
  return r;
}

void EvalScore::add(const EvalCase& c, const EvalResult& r) {
  const std::string lang = has_cjk(c.question) ? "zh" : "en";
  for (Counts* counts : {&all, &by_kind[c.kind], &by_language[lang]}) {
    switch (r.verdict) {
      case EvalResult::Verdict::right: ++counts->right; break;
      case EvalResult::Verdict::miss: ++counts->miss; break;
      case EvalResult::Verdict::wrong: ++counts->wrong; break;
    }
  }
}

std::string EvalScore::table() const {
  std::string out;
  char line[160];
  auto row = [&](const std::string& name, const Counts& c) {
    std::snprintf(line, sizeof line, "%-24s %5d %6d %5.1f%% %5d %6d\n", name.c_str(), c.total(), c.right,
                  c.total() ? 100.0 * c.right / c.total() : 0.0, c.miss, c.wrong);
    out += line;
  };
  std::snprintf(line, sizeof line, "%-24s %5s %6s %6s %5s %6s\n", "", "cases", "right", "", "miss", "wrong");
  out += line;
  for (const auto& [kind, c] : by_kind) row(kind, c);
  for (const auto& [lang, c] : by_language) row("lang " + lang, c);
  row("all", all);
  return out;
}

EvalScore evaluate_directory(const std::string& directory, const Dialog& dialog, const EachCase& each,
                             std::vector<std::string>& problems) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec))
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  EvalScore score;
  if (ec || files.empty()) {
    problems.push_back("no *.txt cases in " + directory);
    return score;
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    for (const auto& c : parse_eval_cases(path.filename().string(), text.str(), problems)) {
      const EvalResult r = run_eval_case(c, dialog);
      score.add(c, r);
      each(c, r);
    }
  }
  return score;
}

}  // namespace permit::dialogs
