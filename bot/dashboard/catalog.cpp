#include "bot/dashboard/catalog.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <deque>
#include <set>

namespace permit::dashboard {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void text(Writer& w, const char* key, const dialogs::Text& t) {
  w.Key(key);
  w.StartObject();
  w.Key("en");
  w.String(t.en.c_str());
  w.Key("zh");
  w.String(t.zh.c_str());
  w.EndObject();
}

}  // namespace

std::string catalog_json(const dialogs::ScriptSet& scripts) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("universities");
  w.StartArray();
  for (const auto& u : scripts.universities) {
    w.StartObject();
    w.Key("id");
    w.String(u.id.c_str());
    text(w, "name", u.name);
    w.Key("steps");
    w.StartArray();
    std::deque<std::string> queue{u.start};
    std::set<std::string> seen{u.start};
    while (!queue.empty()) {
      auto it = u.nodes.find(queue.front());
      queue.pop_front();
      if (it == u.nodes.end()) continue;
      const auto& node = it->second;
      if (node.kind == dialogs::Node::Kind::step) {
        w.StartObject();
        w.Key("id");
        w.String(node.id.c_str());
        text(w, "title", node.text);
        w.EndObject();
      }
      auto visit = [&](const std::vector<dialogs::Edge>& edges) {
        for (const auto& e : edges)
          if (seen.insert(e.to).second) queue.push_back(e.to);
      };
      visit(node.next);
      for (const auto& o : node.options) visit(o.next);
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace permit::dashboard
