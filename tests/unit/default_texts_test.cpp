#include "dialogs/default_texts.hpp"
#include "dialogs/script_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace permit::dialogs {
namespace {

std::map<std::string, std::string> shipped() {
  std::map<std::string, std::string> files;
  for (const char* name : {"common.json", "schema.json", "cqupt.json", "cpu.json", "hust.json", "jsnu.json", "nenu.json"}) {
    std::ifstream in(std::string(PERMIT_SOURCE_DIR) + "/dialogs/scripts/" + name);
    std::stringstream text;
    text << in.rdbuf();
    files[name] = text.str();
  }
  return files;
}

TEST(DefaultTexts, AReleaseWithoutTheNewerTextsLoadsWithTheShippedOnesAndKeepsItsOwn) {
  const auto defaults = shipped();
  auto release = defaults;
  // An older release: no "expected" text, and an edited "help".
  auto& common = release["common.json"];
  const auto at = common.find("\"expected\":");
  ASSERT_NE(at, std::string::npos);
  const auto end = common.find("},", at);
  common.erase(at, end + 2 - at);
  const auto help = common.find("\"help\": {");
  ASSERT_NE(help, std::string::npos);
  common.insert(common.find("\"en\": \"", help) + 7, "EDITED ");
  const std::string schema = release["schema.json"];
  release.erase("schema.json");
  ASSERT_FALSE(load_scripts(release, schema).scripts.has_value());  // as stored, it does not load

  const auto added = add_missing_texts(release, defaults);
  EXPECT_EQ(added, std::vector<std::string>{"expected"});
  auto loaded = load_scripts(release, schema);
  ASSERT_TRUE(loaded.scripts.has_value()) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
  EXPECT_EQ(loaded.scripts->common.text("help").en.rfind("EDITED ", 0), 0u);  // its own edit kept
  EXPECT_FALSE(loaded.scripts->common.text("expected").en.empty());
}

TEST(DefaultTexts, NothingMissingChangesNothing) {
  const auto defaults = shipped();
  auto release = defaults;
  EXPECT_TRUE(add_missing_texts(release, defaults).empty());
  EXPECT_EQ(release, defaults);
}

TEST(DefaultTexts, AnUnreadableCommonIsLeftForTheLoaderToReport) {
  const auto defaults = shipped();
  auto release = defaults;
  release["common.json"] = "{ not json";
  EXPECT_TRUE(add_missing_texts(release, defaults).empty());
  EXPECT_EQ(release["common.json"], "{ not json");
}

}  // namespace
}  // namespace permit::dialogs
