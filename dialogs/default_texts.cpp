#include "dialogs/default_texts.hpp"

#include "dialogs/script_loader.hpp"
#include "json/parse.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

namespace permit::dialogs {

std::vector<std::string> add_missing_texts(std::map<std::string, std::string>& files,
                                           const std::map<std::string, std::string>& defaults) {
  std::vector<std::string> added;
  auto mine = files.find("common.json");
  auto theirs = defaults.find("common.json");
  if (mine == files.end() || theirs == defaults.end()) return added;
  rapidjson::Document doc, shipped;
  if (!json::parse(doc, mine->second) || !json::parse(shipped, theirs->second)) return added;
  if (!doc.IsObject() || !doc.HasMember("texts") || !doc["texts"].IsObject()) return added;
  if (!shipped.IsObject() || !shipped.HasMember("texts") || !shipped["texts"].IsObject()) return added;
  auto& texts = doc["texts"];
  const auto& shipped_texts = shipped["texts"];
  for (const auto& key : required_texts()) {
    if (texts.HasMember(key.c_str()) || !shipped_texts.HasMember(key.c_str())) continue;
    texts.AddMember(rapidjson::Value(key.c_str(), doc.GetAllocator()),
                    rapidjson::Value(shipped_texts[key.c_str()], doc.GetAllocator()), doc.GetAllocator());
    added.push_back(key);
  }
  if (added.empty()) return added;
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  doc.Accept(writer);
  mine->second.assign(out.GetString(), out.GetSize());
  return added;
}

}  // namespace permit::dialogs
