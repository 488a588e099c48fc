// Plays every conversation in dialogs/scripts/*.txt against the engine with
// the real scripts (format: dialogs/transcript.hpp). Each "=== name" block is
// one ctest test. The same transcripts gate a publish (handlers/admin_api).

#include "dialogs/script_loader.hpp"
#include "dialogs/transcript.hpp"
#include "tests/support/shipped_engine.hpp"

#include <gtest/gtest.h>

namespace permit::dialogs {

// Names the transcript in gtest's messages instead of dumping its bytes.
void PrintTo(const Transcript& t, std::ostream* os) { *os << t.file << ":" << t.line << " (" << t.name << ")"; }

namespace {

std::vector<Transcript> load_transcripts() {
  const auto read = read_script_files(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts");
  if (read.error) ADD_FAILURE() << read.error->to_string();
  std::vector<Transcript> all;
  std::vector<TranscriptProblem> problems;
  for (const auto& [name, text] : read.files) {  // by name, as the files sort
    if (!name.ends_with(".txt")) continue;
    auto some = parse_transcripts(name, text, problems);
    all.insert(all.end(), some.begin(), some.end());
  }
  for (const auto& p : problems) ADD_FAILURE() << p.to_string();
  return all;
}

class TranscriptTest : public ::testing::TestWithParam<Transcript> {};

TEST_P(TranscriptTest, Replies) {
  for (const auto& p : run_transcript(GetParam(), permit::testing::shipped_engine())) ADD_FAILURE() << p.to_string();
}

std::string test_name(const ::testing::TestParamInfo<Transcript>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 4) + "_" + std::to_string(info.param.line);
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Transcripts, TranscriptTest, ::testing::ValuesIn(load_transcripts()), test_name);

// The runner itself can fail: a wrong expectation is reported with its line.
TEST(TranscriptRunner, ReportsAFailedExpectationWithItsLine) {
  std::vector<TranscriptProblem> problems;
  auto parsed = parse_transcripts("x.txt", "=== t\n> hello\n< no such reply text\n! .\n", problems);
  ASSERT_TRUE(problems.empty());
  ASSERT_EQ(parsed.size(), 1u);
  auto failed = run_transcript(parsed[0], permit::testing::shipped_engine());
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].line, 3);
  EXPECT_EQ(failed[1].line, 4);
  parse_transcripts("y.txt", "> before a name\n", problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 1);
}

}  // namespace
}  // namespace permit::dialogs
