// The loader refuses a broken script with the file, the JSON pointer and
// the reason. Each test breaks one thing in a copy of the real scripts.

#include "dialogs/script_loader.hpp"

#include <rapidjson/document.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace permit::dialogs {
namespace {

const std::string kDir = std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts";

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class ScriptLoaderTest : public ::testing::Test {
 protected:
  ScriptLoaderTest() : schema_(read(kDir + "/schema.json")) {
    for (const auto& e : std::filesystem::directory_iterator(kDir)) {
      auto name = e.path().filename().string();
      if (e.path().extension() == ".json" && name != "schema.json") files_[name] = read(e.path().string());
    }
  }

  // Applies `edit` to the parsed file and stores it back.
  template <class Edit>
  void change(const std::string& file, Edit edit) {
    rapidjson::Document doc;
    doc.Parse(files_.at(file).c_str());
    ASSERT_FALSE(doc.HasParseError()) << file;
    edit(doc, doc.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    files_[file] = buffer.GetString();
  }

  void set(const std::string& file, const char* pointer, const char* json) {
    change(file, [&](rapidjson::Document& doc, auto& alloc) {
      rapidjson::Document value(&alloc);
      value.Parse(json);
      ASSERT_FALSE(value.HasParseError()) << json;
      rapidjson::Pointer(pointer).Set(doc, rapidjson::Value(value, alloc), alloc);
    });
  }

  void erase(const std::string& file, const char* pointer) {
    change(file, [&](rapidjson::Document& doc, auto&) { ASSERT_TRUE(rapidjson::Pointer(pointer).Erase(doc)) << pointer; });
  }

  // Loads, expects refusal, and returns "file: pointer: reason" lines.
  std::string refused() {
    auto result = load_scripts(files_, schema_);
    EXPECT_FALSE(result.scripts.has_value()) << "a broken script was accepted";
    std::string lines;
    for (const auto& e : result.errors) lines += e.to_string() + "\n";
    return lines;
  }

  std::string schema_;
  std::map<std::string, std::string> files_;
};

TEST_F(ScriptLoaderTest, TheShippedScriptsAreValid) {
  auto result = load_scripts(kDir);
  for (const auto& e : result.errors) ADD_FAILURE() << e.to_string();
  ASSERT_TRUE(result.scripts);
  EXPECT_EQ(result.scripts->universities.size(), 5u);
  for (const auto& u : result.scripts->universities) {
    EXPECT_FALSE(u.faq.empty()) << u.id;
    EXPECT_TRUE(u.nodes.contains(u.start)) << u.id;
    for (const auto& f : u.faq) EXPECT_TRUE(f.source.has_value()) << u.id << "/" << f.id;
  }
}

TEST_F(ScriptLoaderTest, InvalidJsonNamesLineAndColumn) {
  files_["cqupt.json"] = "{\n  \"format\": \"permit-bot/university/1\",\n  oops\n}";
  EXPECT_NE(refused().find("cqupt.json: /: not valid JSON at line 3, column 3"), std::string::npos) << refused();
}

// 140 KB of "[" overflowed the stack of the recursive parser (SIGSEGV), in
// the bot on a publish, a draft or a check.
TEST_F(ScriptLoaderTest, DeepNestingIsRefusedNotAStackOverflow) {
  files_["cqupt.json"] = std::string(140 * 1024, '[');
  EXPECT_NE(refused().find("cqupt.json: /: not valid JSON at line 1, column "), std::string::npos) << refused();
  EXPECT_NE(refused().find("nested more than 64 levels deep"), std::string::npos) << refused();
  // Closed, so that only the depth is wrong.
  files_["cqupt.json"] = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_NE(refused().find("nested more than 64 levels deep"), std::string::npos) << refused();
  auto deep_schema = load_scripts(files_, std::string(140 * 1024, '['));
  EXPECT_FALSE(deep_schema.scripts);
}

TEST_F(ScriptLoaderTest, MissingTranslationIsNamedWithItsPointer) {
  erase("cqupt.json", "/faq/0/answer/zh");
  EXPECT_NE(refused().find("cqupt.json: /faq/0/answer: missing \"zh\""), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, BlankTextIsRefused) {
  set("jsnu.json", "/faq/2/topic/en", "\"   \"");
  EXPECT_NE(refused().find("jsnu.json: /faq/2/topic/en: is blank"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, UnknownFieldAndWrongTypeAreRefused) {
  set("hust.json", "/faq/1/answr", "{\"en\":\"x\",\"zh\":\"x\"}");
  EXPECT_NE(refused().find("hust.json: /faq/1/answr: unknown field \"answr\""), std::string::npos) << refused();
  erase("hust.json", "/faq/1/answr");
  set("hust.json", "/aliases", "\"hust\"");
  EXPECT_NE(refused().find("hust.json: /aliases: must be of type \"array\", not a string"), std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, TransitionToAMissingNodeIsRefused) {
  set("cqupt.json", "/walkthrough/nodes/step2/next", "\"nowhere\"");
  auto errors = refused();
  EXPECT_NE(errors.find("cqupt.json: /walkthrough/nodes/step2/next: \"nowhere\" is not a node"), std::string::npos)
      << errors;
  // step3 and what follows it can no longer be reached either.
  EXPECT_NE(errors.find("/walkthrough/nodes/step3: is not reachable from the start"), std::string::npos) << errors;
}

TEST_F(ScriptLoaderTest, UnreachableNodeIsRefused) {
  set("cqupt.json", "/walkthrough/nodes/orphan", "{\"kind\":\"end\",\"text\":{\"en\":\"x\",\"zh\":\"x\"}}");
  EXPECT_NE(refused().find("cqupt.json: /walkthrough/nodes/orphan: is not reachable from the start"), std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, FactsWithoutASourceOrFromAnotherSeedAreRefused) {
  erase("cqupt.json", "/faq/3/source");
  EXPECT_NE(refused().find("cqupt.json: /faq/3: a fact needs a \"source\""), std::string::npos) << refused();
  set("cqupt.json", "/faq/3/source", "{\"seed\":\"jsnu-xuzhou.txt\",\"ref\":{\"en\":\"Article 9\",\"zh\":\"第九条\"}}");
  EXPECT_NE(refused().find("cqupt.json: /faq/3/source/seed: \"jsnu-xuzhou.txt\" is not this script's seed"),
            std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, StepWithoutWhatToDoIsRefused) {
  erase("cqupt.json", "/walkthrough/nodes/step4/do");
  EXPECT_NE(refused().find("cqupt.json: /walkthrough/nodes/step4: a step node needs \"do\""), std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, ConditionOnAnAnswerNoQuestionGivesIsRefused) {
  set("cqupt.json", "/walkthrough/nodes/step1/next", "[{\"when\":{\"campus\":\"moon\"},\"to\":\"step2\"},{\"to\":\"step2\"}]");
  EXPECT_NE(refused().find("cqupt.json: /walkthrough/nodes/step1/next: no question sets \"campus\" to \"moon\""),
            std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, ASituationOnAnAnswerNoQuestionGivesIsRefused) {
  set("cqupt.json", "/faq/3/situation", "{\"campus\":\"moon\"}");
  EXPECT_NE(refused().find("cqupt.json: /faq/3/situation: no question sets \"campus\" to \"moon\""),
            std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, AnAliasClaimedByTwoUniversitiesIsRefused) {
  set("cqupt.json", "/aliases/0", "\"jsnu\"");
  EXPECT_NE(refused().find("the alias \"jsnu\" is also used in"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, CommonScriptNeedsEveryTextAndKnownPlaceholders) {
  erase("common.json", "/texts/help");
  EXPECT_NE(refused().find("common.json: /texts: missing the text \"help\""), std::string::npos) << refused();
  set("common.json", "/texts/help", "{\"en\":\"Hello {name}\",\"zh\":\"你好\"}");
  EXPECT_NE(refused().find("common.json: /texts/help: unknown placeholder \"{name}\""), std::string::npos)
      << refused();
}

TEST_F(ScriptLoaderTest, WordsThatNormaliseToNothingAreRefused) {
  // The engine compares words once normalised: "!" would be "", which
  // every message contains.
  set("common.json", "/commands/filler/0", "\"!\"");
  EXPECT_NE(refused().find("common.json: /commands/filler/0: is empty once normalised"), std::string::npos) << refused();
  set("common.json", "/commands/filler/0", "\"i study at\"");
  set("nenu.json", "/things/0/names/en/0", "\"??\"");
  EXPECT_NE(refused().find("nenu.json: /things/0/names/en/0: is empty once normalised"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, ATextingFormIsOneWordOrTwoJoinedByOneSlash) {
  set("common.json", "/texting/a~1b~1c", "\"abc\"");
  EXPECT_NE(refused().find("common.json: /texting/a~1b~1c: a texting form is one word"), std::string::npos) << refused();
  erase("common.json", "/texting/a~1b~1c");
  set("common.json", "/texting/w~1e", "\"whatever\"");
  EXPECT_TRUE(load_scripts(files_, schema_).scripts.has_value()) << "\"w/e\" is a texting form";
  set("common.json", "/texting/two words", "\"x\"");
  EXPECT_NE(refused().find("common.json: /texting/two words: a texting form is one word"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, ThingsFactsAndDatedRulesPointAtWhatExists) {
  set("nenu.json", "/things/0/facts/address", "{\"faq\":\"no_such_entry\"}");
  EXPECT_NE(refused().find("nenu.json: /things/0/facts/address/faq: \"no_such_entry\" is not an FAQ entry here"),
            std::string::npos)
      << refused();
  set("nenu.json", "/things/0/facts/address", "{\"faq\":\"nenu_immigration_address\"}");
  set("nenu.json", "/things/0/facts/colour", "{\"faq\":\"nenu_immigration_address\"}");
  EXPECT_NE(refused().find("nenu.json: /things/0/facts/colour: \"colour\" is not an attribute in common.json"),
            std::string::npos)
      << refused();
  erase("nenu.json", "/things/0/facts/colour");
  set("nenu.json", "/faq/0/about", "\"moon_base\"");
  EXPECT_NE(refused().find("nenu.json: /faq/0/about: \"moon_base\" is not a thing here"), std::string::npos) << refused();
  set("nenu.json", "/faq/0/about", "\"dormitory\"");
  set("nenu.json", "/deadlines/0/date", "\"birthday\"");
  EXPECT_NE(refused().find("nenu.json: /deadlines/0/date: \"birthday\" is not a date kind in common.json"),
            std::string::npos)
      << refused();
  set("nenu.json", "/deadlines/0/date", "\"exam\"");
  set("nenu.json", "/deadlines/0/before", "{\"days\": 3}");
  EXPECT_NE(refused().find("nenu.json: /deadlines/0: needs exactly one of \"before\" and \"after\""), std::string::npos)
      << refused();
  erase("nenu.json", "/deadlines/0/before");
  set("nenu.json", "/things/1/main", "true");
  EXPECT_NE(refused().find("nenu.json: /things/1/main: only one thing can be the main one"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, AFactIsATextAnEntryOrASilenceNotTwo) {
  set("cqupt.json", "/things/1/facts/address", "{\"faq\":\"registration_form\",\"en\":\"x\",\"zh\":\"x\"}");
  EXPECT_NE(refused().find("cqupt.json: /things/1/facts/address: a fact is a text"), std::string::npos) << refused();
  set("cqupt.json", "/things/1/facts/address", "{\"en\":\"No 9\",\"zh\":\"9号\"}");
  EXPECT_NE(refused().find("cqupt.json: /things/1/facts/address: a fact needs a \"source\""), std::string::npos)
      << refused();
}

// A fine per day is worked out as days times the amount: an amount the
// engine could overflow with, or a cap below one day, is refused.
TEST_F(ScriptLoaderTest, AFinePerDayIsBoundedAndItsCapHoldsADay) {
  set("jsnu.json", "/faq/17/per_day/at_most", "100");
  EXPECT_NE(refused().find("jsnu.json: /faq/17/per_day/at_most: is less than one day's amount"), std::string::npos)
      << refused();
  set("jsnu.json", "/faq/17/per_day/at_most", "10000000000");
  EXPECT_NE(refused().find("jsnu.json"), std::string::npos) << refused();
  set("jsnu.json", "/faq/17/per_day/at_most", "10000");
  set("jsnu.json", "/faq/17/per_day/unit", R"({"en":"yuan"})");
  EXPECT_NE(refused().find("jsnu.json: /faq/17/per_day/unit"), std::string::npos) << refused();
}

// A limit at the student's own expiry is said with their date: a text
// without the place for it would say no date at all.
TEST_F(ScriptLoaderTest, ALimitAtTheExpiryHasAPlaceForTheDate) {
  set("jsnu.json", "/faq/10/until_expiry", R"({"en":"until then","zh":"最晚到{date}"})");
  EXPECT_NE(refused().find("jsnu.json: /faq/10/until_expiry: has no {date}"), std::string::npos) << refused();
}

// A case a page does not cover needs its words, what is said and what
// comes before the page's own answer.
TEST_F(ScriptLoaderTest, ACaseOutsideThePageNeedsItsWordsAndTexts) {
  erase("cqupt.json", "/outside/0/then");
  EXPECT_NE(refused().find("cqupt.json: /outside/0"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, MissingCommonScriptIsRefused) {
  files_.erase("common.json");
  EXPECT_NE(refused().find("common.json: /: missing"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, FileNameMustMatchTheId) {
  files_["renamed.json"] = files_.at("cpu.json");
  files_.erase("cpu.json");
  EXPECT_NE(refused().find("renamed.json: /id: \"cpu\" does not match the file name"), std::string::npos) << refused();
}

TEST_F(ScriptLoaderTest, MissingDirectoryOrSchemaIsAnError) {
  auto result = load_scripts(std::string("/nonexistent/scripts"));
  ASSERT_FALSE(result.scripts);
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].reason.find("not a directory"), std::string::npos);
  auto bad_schema = load_scripts(files_, "{}");
  ASSERT_FALSE(bad_schema.scripts);
  EXPECT_EQ(bad_schema.errors.at(0).file, "schema.json");
}

}  // namespace
}  // namespace permit::dialogs
