#include "dialogs/script_loader.hpp"

#include "dialogs/json_position.hpp"
#include "dialogs/script_schema.hpp"
#include "dialogs/text.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace permit::dialogs {
namespace {

using Json = rapidjson::Value;

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

// Builds the model from a schema-valid document, and checks what the schema
// cannot express. Errors go to `errors`, each with a JSON pointer.
class FileReader {
 public:
  FileReader(std::string file, std::vector<ScriptError>& errors) : file_(std::move(file)), errors_(errors) {}

  void error(const std::string& pointer, std::string reason) {
    errors_.push_back({file_, pointer.empty() ? "/" : pointer, std::move(reason)});
  }

  Text text(const Json& v, const std::string& at) {
    Text t{v["en"].GetString(), v["zh"].GetString()};
    for (auto [value, lang] : {std::pair{&t.en, "en"}, std::pair{&t.zh, "zh"}})
      if (normalise(*value).empty()) error(at + "/" + lang, "is blank");
    return t;
  }

  std::optional<Text> optional_text(const Json& parent, const char* name, const std::string& at) {
    if (!parent.HasMember(name)) return std::nullopt;
    return text(parent[name], at + "/" + name);
  }

  std::optional<Source> source(const Json& parent, const char* name, const std::string& at) {
    if (!parent.HasMember(name)) return std::nullopt;
    return Source{parent[name]["seed"].GetString(), text(parent[name]["ref"], at + "/" + name + "/ref")};
  }

  Condition condition(const Json& v) {
    Condition c;
    for (const auto& m : v.GetObject()) c.emplace_back(m.name.GetString(), m.value.GetString());
    return c;
  }

  std::vector<Edge> edges(const Json& v) {
    if (v.IsString()) return {Edge{{}, v.GetString()}};
    std::vector<Edge> out;
    for (const auto& e : v.GetArray())
      out.push_back({e.HasMember("when") ? condition(e["when"]) : Condition{}, e["to"].GetString()});
    return out;
  }

  Faq faq(const Json& v, const std::string& at) {
    Faq f;
    f.id = v["id"].GetString();
    f.topic = text(v["topic"], at + "/topic");
    for (const char* lang : {"en", "zh"})
      for (const auto& q : v["questions"][lang].GetArray()) f.questions.emplace_back(q.GetString());
    f.answer = text(v["answer"], at + "/answer");
    f.source = source(v, "source", at);
    return f;
  }

  std::vector<Faq> faqs(const Json& v, const std::string& at) {
    std::vector<Faq> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) out.push_back(faq(v[i], at + "/" + std::to_string(i)));
    return out;
  }

  Node node(const std::string& id, const Json& v, const std::string& at) {
    Node n;
    n.id = id;
    const std::string kind = v["kind"].GetString();
    auto require = [&](std::initializer_list<const char*> fields) {
      for (const char* f : fields)
        if (!v.HasMember(f)) error(at, "a " + kind + " node needs " + in_quotes(f));
    };
    auto forbid = [&](std::initializer_list<const char*> fields) {
      for (const char* f : fields)
        if (v.HasMember(f)) error(at + "/" + f, "a " + kind + " node has no " + in_quotes(f));
    };
    if (kind == "question") {
      n.kind = Node::Kind::question;
      require({"text", "options"});
      forbid({"title", "do", "where", "hours", "bring", "cost", "duration", "note", "next"});
      if (v.HasMember("options")) {
        const auto& options = v["options"];
        for (rapidjson::SizeType i = 0; i < options.Size(); ++i) {
          const auto& o = options[i];
          std::string oat = at + "/options/" + std::to_string(i);
          if (!o.HasMember("label") || !o.HasMember("next")) {
            error(oat, "an option needs \"label\" and \"next\"");
            continue;
          }
          n.options.push_back(
              {text(o["label"], oat + "/label"), o.HasMember("set") ? condition(o["set"]) : Condition{}, edges(o["next"])});
        }
        if (options.Size() < 2) error(at + "/options", "a question needs at least 2 options");
      }
    } else if (kind == "step") {
      n.kind = Node::Kind::step;
      require({"title", "do", "source", "next"});
      forbid({"text", "options"});
      if (v.HasMember("title")) n.text = text(v["title"], at + "/title");
      n.action = optional_text(v, "do", at);
      n.where = optional_text(v, "where", at);
      n.hours = optional_text(v, "hours", at);
      n.cost = optional_text(v, "cost", at);
      n.duration = optional_text(v, "duration", at);
      n.note = optional_text(v, "note", at);
      if (v.HasMember("bring")) {
        const auto& bring = v["bring"];
        for (rapidjson::SizeType i = 0; i < bring.Size(); ++i) {
          std::string iat = at + "/bring/" + std::to_string(i);
          n.bring.push_back({text(bring[i]["text"], iat + "/text"),
                             bring[i].HasMember("when") ? condition(bring[i]["when"]) : Condition{}});
        }
      }
      if (v.HasMember("next")) n.next = edges(v["next"]);
    } else {
      n.kind = Node::Kind::end;
      require({"text"});
      forbid({"title", "do", "where", "hours", "bring", "cost", "duration", "note", "options", "next"});
    }
    if (n.kind != Node::Kind::step && v.HasMember("text")) n.text = text(v["text"], at + "/text");
    n.source = source(v, "source", at);
    return n;
  }

  void check_source(const std::optional<Source>& s, const std::string& seed, const std::string& at) {
    if (!s) {
      error(at, "a fact needs a \"source\"");
    } else if (s->seed != seed) {
      error(at + "/source/seed", in_quotes(s->seed) + " is not this script's seed " + in_quotes(seed));
    }
  }

  University university(const Json& v, const std::string& expected_id) {
    University u;
    u.id = v["id"].GetString();
    if (u.id != expected_id) error("/id", in_quotes(u.id) + " does not match the file name");
    u.name = text(v["name"], "/name");
    u.short_name = text(v["short"], "/short");
    u.city = optional_text(v, "city", "");
    for (const auto& a : v["aliases"].GetArray()) u.aliases.push_back(normalise(a.GetString()));
    u.document = text(v["document"], "/document");
    u.office = text(v["office"], "/office");
    u.seed = v["seed"].GetString();
    if (v.HasMember("deadline")) {
      const auto& d = v["deadline"];
      Deadline deadline;
      deadline.rule.days_before = d.HasMember("days_before") ? d["days_before"].GetInt() : 0;
      deadline.rule.months_before = d.HasMember("months_before") ? d["months_before"].GetInt() : 0;
      if (deadline.rule.days_before == 0 && deadline.rule.months_before == 0)
        error("/deadline", "needs \"days_before\" or \"months_before\"");
      deadline.to = text(d["to"], "/deadline/to");
      deadline.source = *source(d, "source", "/deadline");
      if (deadline.source.seed != u.seed) error("/deadline/source/seed", "is not this script's seed");
      deadline.lateness = optional_text(d, "lateness", "/deadline");
      deadline.lateness_source = source(d, "lateness_source", "/deadline");
      if (deadline.lateness && !deadline.lateness_source) error("/deadline", "\"lateness\" needs a \"lateness_source\"");
      u.deadline = std::move(deadline);
    }
    u.faq = faqs(v["faq"], "/faq");
    for (std::size_t i = 0; i < u.faq.size(); ++i) check_source(u.faq[i].source, u.seed, "/faq/" + std::to_string(i));
    const auto& walkthrough = v["walkthrough"];
    u.start = walkthrough["start"].GetString();
    for (const auto& m : walkthrough["nodes"].GetObject()) {
      std::string id = m.name.GetString();
      std::string at = "/walkthrough/nodes/" + escape_pointer_token(id);
      Node n = node(id, m.value, at);
      if (n.kind == Node::Kind::step) check_source(n.source, u.seed, at);
      u.nodes.emplace(id, std::move(n));
    }
    check_graph(u);
    return u;
  }

  // Targets exist, every node is reachable from the start, and conditions
  // only test answers some question sets.
  void check_graph(const University& u) {
    const std::string nodes_at = "/walkthrough/nodes/";
    if (!u.nodes.contains(u.start)) error("/walkthrough/start", in_quotes(u.start) + " is not a node");
    std::map<std::string, std::set<std::string>> settable;
    for (const auto& [id, n] : u.nodes)
      for (const auto& o : n.options)
        for (const auto& [var, value] : o.set) settable[var].insert(value);
    auto check_condition = [&](const Condition& c, const std::string& at) {
      for (const auto& [var, value] : c)
        if (!settable[var].contains(value))
          error(at, "no question sets " + in_quotes(var) + " to " + in_quotes(value));
    };
    auto check_edges = [&](const std::vector<Edge>& edges, const std::string& at) {
      for (std::size_t i = 0; i < edges.size(); ++i) {
        if (!u.nodes.contains(edges[i].to)) error(at, in_quotes(edges[i].to) + " is not a node");
        check_condition(edges[i].when, at);
      }
      if (!edges.empty() && !edges.back().when.empty()) error(at, "the last edge needs no \"when\", so one always applies");
    };
    for (const auto& [id, n] : u.nodes) {
      std::string at = nodes_at + escape_pointer_token(id);
      check_edges(n.next, at + "/next");
      for (std::size_t i = 0; i < n.options.size(); ++i)
        check_edges(n.options[i].next, at + "/options/" + std::to_string(i) + "/next");
      for (std::size_t i = 0; i < n.bring.size(); ++i) check_condition(n.bring[i].when, at + "/bring/" + std::to_string(i));
    }
    std::set<std::string> seen{u.start};
    std::deque<std::string> queue{u.start};
    while (!queue.empty()) {
      auto it = u.nodes.find(queue.front());
      queue.pop_front();
      if (it == u.nodes.end()) continue;
      auto visit = [&](const std::vector<Edge>& edges) {
        for (const auto& e : edges)
          if (seen.insert(e.to).second) queue.push_back(e.to);
      };
      visit(it->second.next);
      for (const auto& o : it->second.options) visit(o.next);
    }
    for (const auto& [id, n] : u.nodes)
      if (!seen.contains(id)) error(nodes_at + escape_pointer_token(id), "is not reachable from the start");
  }

  Common common(const Json& v) {
    Common c;
    for (const auto& m : v["texts"].GetObject()) {
      std::string key = m.name.GetString();
      std::string at = "/texts/" + escape_pointer_token(key);
      Text t = text(m.value, at);
      for (const auto* s : {&t.en, &t.zh}) check_placeholders(*s, at);
      c.texts.emplace(key, std::move(t));
    }
    for (const auto& key : required_texts())
      if (!c.texts.contains(key)) error("/texts", "missing the text " + in_quotes(key));
    for (const auto& m : v["commands"].GetObject()) {
      std::vector<std::string> phrases;
      for (const auto& p : m.value.GetArray()) phrases.push_back(normalise(p.GetString()));
      c.commands.emplace(m.name.GetString(), std::move(phrases));
    }
    for (const auto& key : required_commands())
      if (!c.commands.contains(key)) error("/commands", "missing the command " + in_quotes(key));
    for (const auto& group : v["synonyms"].GetArray()) {
      std::vector<std::string> terms;
      for (const auto& t : group.GetArray()) terms.emplace_back(t.GetString());
      c.synonyms.push_back(std::move(terms));
    }
    c.faq = faqs(v["faq"], "/faq");
    return c;
  }

  void check_placeholders(const std::string& s, const std::string& at) {
    const auto& known = known_placeholders();
    for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
      auto close = s.find('}', open);
      if (close == std::string::npos) return error(at, "an unclosed \"{\"");
      std::string name = s.substr(open + 1, close - open - 1);
      if (std::find(known.begin(), known.end(), name) == known.end())
        error(at, "unknown placeholder " + in_quotes("{" + name + "}"));
    }
  }

 private:
  std::string file_;
  std::vector<ScriptError>& errors_;
};

// Checks across files: ids, FAQ ids and aliases are unique.
void check_uniqueness(const ScriptSet& set, std::vector<ScriptError>& errors) {
  std::map<std::string, std::string> faq_owner, alias_owner;
  auto claim = [&](std::map<std::string, std::string>& owners, const std::string& key, const std::string& file,
                   const std::string& pointer, const char* what) {
    auto [it, fresh] = owners.emplace(key, file);
    if (!fresh) errors.push_back({file, pointer, std::string(what) + " " + in_quotes(key) + " is also used in " + it->second});
  };
  for (std::size_t i = 0; i < set.common.faq.size(); ++i)
    claim(faq_owner, set.common.faq[i].id, "common.json", "/faq/" + std::to_string(i) + "/id", "the FAQ id");
  for (const auto& u : set.universities) {
    const std::string file = u.id + ".json";
    for (std::size_t i = 0; i < u.faq.size(); ++i)
      claim(faq_owner, u.faq[i].id, file, "/faq/" + std::to_string(i) + "/id", "the FAQ id");
    for (std::size_t i = 0; i < u.aliases.size(); ++i)
      claim(alias_owner, u.aliases[i], file, "/aliases/" + std::to_string(i), "the alias");
  }
}

}  // namespace

std::string ScriptError::to_string() const {
  std::string s = file + ": " + pointer + ": " + reason;
  if (line > 0 && !reason.starts_with("not valid JSON"))
    s += " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
  return s;
}

const std::vector<std::string>& known_placeholders() {
  static const std::vector<std::string> names = {
      "university", "office", "document", "list", "choices", "date", "expiry", "deadline", "days",
      "to", "lateness", "source", "n", "total", "title", "item", "items", "done", "left", "topic"};
  return names;
}

const std::vector<std::string>& required_texts() {
  static const std::vector<std::string> keys = {
      "welcome", "choose_university", "university_set", "unsupported", "help", "menu", "language_set",
      "not_found", "not_found_no_topics", "source", "staff", "delete_confirm", "delete_done", "delete_cancelled",
      "not_started", "step_header", "label_do", "label_where", "label_hours", "label_bring", "label_cost",
      "label_duration", "label_note", "not_stated", "step_footer", "question_footer", "at_first_step", "end_footer",
      "progress", "progress_question", "progress_end", "progress_item_done", "progress_item_left", "ticked", "unticked", "no_such_item", "no_checklist",
      "restarted", "deadline", "deadline_lateness", "deadline_passed", "deadline_silent", "date_past",
      "date_ambiguous", "date_invalid", "date_unreadable", "reminder", "reminder_silent", "reminders_set",
      "reminders_stopped", "date_needs_university", "choice_invalid", "ask_question"};
  return keys;
}

const std::vector<std::string>& required_commands() {
  static const std::vector<std::string> keys = {"start", "next", "back", "progress", "menu", "help", "restart", "done",
                                                "english", "chinese", "delete", "yes", "staff", "change_university",
                                                "expiry_words", "stop_reminders"};
  return keys;
}

LoadResult load_scripts(const std::map<std::string, std::string>& files, const std::string& schema_text) {
  LoadResult result;
  auto& errors = result.errors;
  std::string schema_error;
  auto schema = ScriptSchema::parse(schema_text, schema_error);
  if (!schema) {
    errors.push_back({"schema.json", "/", schema_error});
    return result;
  }
  ScriptSet set;
  bool have_common = false;
  for (const auto& [name, content] : files) {
    if (!name.ends_with(".json")) continue;  // transcripts and notes travel with the scripts
    rapidjson::Document doc;
    if (doc.Parse(content.c_str(), content.size()).HasParseError()) {
      auto at = position_at(content, doc.GetErrorOffset());
      errors.push_back({name, "/",
                        "not valid JSON at line " + std::to_string(at.line) + ", column " + std::to_string(at.column) +
                            ": " + rapidjson::GetParseError_En(doc.GetParseError()),
                        at.line, at.column});
      continue;
    }
    const bool is_common = name == "common.json";
    if (auto violation = schema->check(doc, is_common ? "common" : "university")) {
      errors.push_back({name, violation->pointer, violation->reason});
      continue;
    }
    FileReader reader(name, errors);
    if (is_common) {
      set.common = reader.common(doc);
      have_common = true;
    } else {
      set.universities.push_back(reader.university(doc, name.substr(0, name.size() - 5)));
    }
  }
  if (!have_common) errors.push_back({"common.json", "/", "missing: the bot's own texts and commands live there"});
  if (set.universities.empty()) errors.push_back({"<scripts>", "/", "no university script"});
  check_uniqueness(set, errors);
  // Every error in a file gets its line and column.
  for (auto& e : errors) {
    auto file = files.find(e.file);
    if (e.line > 0 || file == files.end()) continue;
    auto at = locate(file->second, e.pointer);
    e.line = at.line;
    e.column = at.column;
  }
  if (errors.empty()) result.scripts = std::move(set);
  return result;
}

ScriptFiles read_script_files(const std::string& directory) {
  namespace fs = std::filesystem;
  ScriptFiles out;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    out.error = ScriptError{directory, "/", "is not a directory"};
    return out;
  }
  bool have_schema = false;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const auto name = entry.path().filename().string();
    const auto ext = entry.path().extension();
    if (ext != ".json" && ext != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (name == "schema.json") {
      out.schema = bytes.str();
      have_schema = true;
    } else {
      out.files.emplace(name, bytes.str());
    }
  }
  if (!have_schema) out.error = ScriptError{"schema.json", "/", "missing from " + directory};
  return out;
}

LoadResult load_scripts(const ScriptFiles& read) {
  if (read.error) {
    LoadResult r;
    r.errors.push_back(*read.error);
    return r;
  }
  return load_scripts(read.files, read.schema);
}

LoadResult load_scripts(const std::string& directory) { return load_scripts(read_script_files(directory)); }

}  // namespace permit::dialogs
