// Runs every conversation in tests/transcripts/*.txt against the engine with
// the real scripts. Each "=== name" block is one ctest test.
//
//   === JSNU deadline in Chinese        a transcript starts; its name
//   @date 2026-11-21                     "today" for the engine (default 2026-11-21)
//   > 江苏师范大学                       the student says this
//   < 江苏师范大学|JSNU                  the reply must match this regex (ECMAScript)
//   ! 重庆                               ...and must not match this one
//   * set_deadline 2027-02-01            an effect of this kind, holding this text
//   # a comment

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"
#include "tests/support/shipped_engine.hpp"
#include "dialogs/script_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

namespace permit::dialogs {
namespace {

struct Expectation {
  char kind;  // '<' match, '!' no match, '*' effect
  std::string text;
  int line;
};

struct Exchange {
  std::string says;
  std::vector<Expectation> expect;
};

struct Transcript {
  std::string name;
  std::string file;
  int line = 0;
  std::string date = "2026-11-21";
  std::vector<Exchange> exchanges;
};

std::vector<Transcript> load_transcripts() {
  std::vector<Transcript> all;
  const auto dir = std::filesystem::path(PERMIT_SOURCE_DIR) / "tests" / "transcripts";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      auto rest = line.size() > 2 ? line.substr(2) : std::string();
      if (line.starts_with("=== ")) {
        all.push_back({line.substr(4), path.filename().string(), number, "2026-11-21", {}});
      } else if (all.empty()) {
        ADD_FAILURE() << path << ":" << number << ": a line before the first \"=== name\"";
      } else if (line.starts_with("@date ")) {
        all.back().date = line.substr(6);
      } else if (line.starts_with("> ") || line == ">") {
        all.back().exchanges.push_back({rest, {}});
      } else if ((line[0] == '<' || line[0] == '!' || line[0] == '*') && line.size() > 2 && line[1] == ' ') {
        if (all.back().exchanges.empty()) ADD_FAILURE() << path << ":" << number << ": an expectation before any \">\"";
        else all.back().exchanges.back().expect.push_back({line[0], rest, number});
      } else {
        ADD_FAILURE() << path << ":" << number << ": cannot read: " << line;
      }
    }
  }
  return all;
}

const char* effect_name(Effect::Kind kind) {
  switch (kind) {
    case Effect::Kind::record_unanswered: return "record_unanswered";
    case Effect::Kind::set_deadline: return "set_deadline";
    case Effect::Kind::forget_student: return "forget_student";
    case Effect::Kind::stop_reminders: return "stop_reminders";
  }
  return "?";
}

const Engine& engine() { return permit::testing::shipped_engine(); }

// Names the transcript in gtest's messages instead of dumping its bytes.
void PrintTo(const Transcript& t, std::ostream* os) { *os << t.file << ":" << t.line << " (" << t.name << ")"; }

class TranscriptTest : public ::testing::TestWithParam<Transcript> {};

TEST_P(TranscriptTest, Replies) {
  const auto& t = GetParam();
  auto today = find_date(t.date);
  ASSERT_EQ(today.status, DateFound::Status::found) << t.file << ":" << t.line << ": bad @date " << t.date;
  const auto now = std::chrono::sys_days(today.date) + std::chrono::hours(9);
  std::string state;
  ASSERT_FALSE(t.exchanges.empty()) << t.file << ":" << t.line << ": an empty transcript";
  for (const auto& x : t.exchanges) {
    auto out = engine().respond(state, Inbound{Inbound::Kind::text, x.says}, now);
    state = out.state;
    std::string reply;
    for (const auto& r : out.replies) reply += r + "\n";
    std::string effects;
    for (const auto& e : out.effects)
      effects += std::string(effect_name(e.kind)) + " " + e.university + " " + e.lang + " " + e.text + " " + e.date +
                 " " + e.deadline + "\n";
    for (const auto& e : x.expect) {
      const std::string where = t.file + ":" + std::to_string(e.line) + " after \"> " + x.says + "\"";
      if (e.kind == '*') {
        EXPECT_NE(effects.find(e.text), std::string::npos) << where << ": no effect \"" << e.text << "\" in:\n" << effects;
        continue;
      }
      bool found = std::regex_search(reply, std::regex(e.text));
      if (e.kind == '<') EXPECT_TRUE(found) << where << ": expected /" << e.text << "/ in:\n" << reply;
      else EXPECT_FALSE(found) << where << ": did not expect /" << e.text << "/ in:\n" << reply;
    }
  }
}

std::string test_name(const ::testing::TestParamInfo<Transcript>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 4) + "_" + std::to_string(info.param.line);
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Transcripts, TranscriptTest, ::testing::ValuesIn(load_transcripts()), test_name);

}  // namespace
}  // namespace permit::dialogs
