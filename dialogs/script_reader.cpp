#include "dialogs/script_reader.hpp"

#include "dialogs/text.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace permit::dialogs {
namespace {

// Whether the text is nothing but CJK ideographs.
bool only_cjk(std::string_view text) {
  for (std::size_t i = 0; i < text.size();)
    if (!is_cjk(next_code_point(text, i))) return false;
  return true;
}

}  // namespace

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

void ScriptReader::error(const std::string& pointer, std::string reason) {
  errors_.push_back({file_, pointer.empty() ? "/" : pointer, std::move(reason)});
}

Text ScriptReader::text(const Json& v, const std::string& at) {
  Text t{v["en"].GetString(), v["zh"].GetString()};
  for (auto [value, lang] : {std::pair{&t.en, "en"}, std::pair{&t.zh, "zh"}})
    if (normalise(*value).empty()) error(at + "/" + lang, "is blank");
  return t;
}

std::optional<Text> ScriptReader::optional_text(const Json& parent, const char* name, const std::string& at) {
  if (!parent.HasMember(name)) return std::nullopt;
  return text(parent[name], at + "/" + name);
}

std::optional<Source> ScriptReader::source(const Json& parent, const char* name, const std::string& at) {
  if (!parent.HasMember(name)) return std::nullopt;
  return Source{parent[name]["seed"].GetString(), text(parent[name]["ref"], at + "/" + name + "/ref")};
}

std::vector<std::string> ScriptReader::words(const Json& phrases, const std::string& at) {
  std::vector<std::string> out;
  for (const char* lang : {"en", "zh"}) {
    const auto& list = phrases[lang];
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      std::string w = normalise(list[i].GetString());
      if (w.empty()) error(at + "/" + lang + "/" + std::to_string(i), "is empty once normalised");
      else out.push_back(std::move(w));
    }
  }
  return out;
}

Condition ScriptReader::condition(const Json& v) {
  Condition c;
  for (const auto& m : v.GetObject()) c.emplace_back(m.name.GetString(), m.value.GetString());
  return c;
}

std::vector<Edge> ScriptReader::edges(const Json& v) {
  if (v.IsString()) return {Edge{{}, v.GetString()}};
  std::vector<Edge> out;
  for (const auto& e : v.GetArray())
    out.push_back({e.HasMember("when") ? condition(e["when"]) : Condition{}, e["to"].GetString()});
  return out;
}

Faq ScriptReader::faq(const Json& v, const std::string& at) {
  Faq f;
  f.id = v["id"].GetString();
  f.topic = text(v["topic"], at + "/topic");
  for (const char* lang : {"en", "zh"})
    for (const auto& q : v["questions"][lang].GetArray()) f.questions.emplace_back(q.GetString());
  f.answer = text(v["answer"], at + "/answer");
  f.source = source(v, "source", at);
  if (v.HasMember("about")) f.about = v["about"].GetString();
  if (v.HasMember("situation")) f.situation = condition(v["situation"]);
  if (v.HasMember("per_day")) {
    const Json& d = v["per_day"];
    f.per_day = PerDay{d["amount"].GetInt64(), d["at_most"].GetInt64(), text(d["unit"], at + "/per_day/unit")};
    if (f.per_day->at_most < f.per_day->amount) error(at + "/per_day/at_most", "is less than one day's amount");
    // (Days times the amount is worked out: bounded so that it cannot overflow.)
    constexpr long kMostAmount = 1'000'000'000;
    if (f.per_day->amount > kMostAmount || f.per_day->at_most > kMostAmount)
      error(at + "/per_day", "an amount over " + std::to_string(kMostAmount));
  }
  if (v.HasMember("until_expiry")) {
    f.until_expiry = text(v["until_expiry"], at + "/until_expiry");
    for (const std::string* t : {&f.until_expiry->en, &f.until_expiry->zh})
      if (t->find("{date}") == std::string::npos) error(at + "/until_expiry", "has no {date} for the student's expiry");
  }
  if (v.HasMember("by_length")) {
    const Json& b = v["by_length"];
    ByLength by;
    const auto& rows = b["rows"];
    for (rapidjson::SizeType i = 0; i < rows.Size(); ++i) {
      const std::string row_at = at + "/by_length/rows/" + std::to_string(i);
      const double upto = rows[i]["upto_months"].GetDouble();
      if (!by.rows.empty() && upto <= by.rows.back().upto_months)
        error(row_at + "/upto_months", "rows must hold increasing lengths");
      by.rows.push_back({upto, text(rows[i]["text"], row_at + "/text")});
    }
    by.rest = text(b["rest"], at + "/by_length/rest");
    f.by_length = std::move(by);
  }
  if (v.HasMember("by_case")) {
    if (f.by_length) error(at, "an answer is \"by_length\" or \"by_case\", not both");
    ByCase by;
    const auto& rows = v["by_case"]["rows"];
    for (rapidjson::SizeType i = 0; i < rows.Size(); ++i) {
      const std::string row_at = at + "/by_case/rows/" + std::to_string(i);
      by.rows.push_back({condition(rows[i]["set"]), words(rows[i]["words"], row_at + "/words"),
                         text(rows[i]["text"], row_at + "/text")});
    }
    f.by_case = std::move(by);
  }
  return f;
}

std::vector<Faq> ScriptReader::faqs(const Json& v, const std::string& at) {
  std::vector<Faq> out;
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) out.push_back(faq(v[i], at + "/" + std::to_string(i)));
  return out;
}

Node ScriptReader::node(const std::string& id, const Json& v, const std::string& at) {
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
    forbid({"title", "do", "where", "hours", "bring", "cost", "duration", "note", "next", "thing"});
    if (v.HasMember("options")) {
      const auto& options = v["options"];
      for (rapidjson::SizeType i = 0; i < options.Size(); ++i) {
        const auto& o = options[i];
        std::string oat = at + "/options/" + std::to_string(i);
        if (!o.HasMember("label") || !o.HasMember("next")) {
          error(oat, "an option needs \"label\" and \"next\"");
          continue;
        }
        n.options.push_back({text(o["label"], oat + "/label"), o.HasMember("set") ? condition(o["set"]) : Condition{},
                             edges(o["next"]), o.HasMember("words") ? words(o["words"], oat + "/words") : std::vector<std::string>{}});
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
    if (v.HasMember("thing")) n.thing = v["thing"].GetString();
  } else {
    n.kind = Node::Kind::end;
    require({"text"});
    forbid({"title", "do", "where", "hours", "bring", "cost", "duration", "note", "options", "next", "thing"});
  }
  if (n.kind != Node::Kind::step && v.HasMember("text")) n.text = text(v["text"], at + "/text");
  n.source = source(v, "source", at);
  return n;
}

void ScriptReader::check_source(const std::optional<Source>& s, const std::string& seed, const std::string& at) {
  if (!s) {
    error(at, "a fact needs a \"source\"");
  } else if (s->seed != seed) {
    error(at + "/source/seed", in_quotes(s->seed) + " is not this script's seed " + in_quotes(seed));
  }
}

DatedRule ScriptReader::dated_rule(const Json& v, const std::string& at, const std::string& seed) {
  DatedRule r;
  r.date = v["date"].GetString();
  const bool before = v.HasMember("before"), after = v.HasMember("after");
  if (before == after) error(at, "needs exactly one of \"before\" and \"after\"");
  if (before || after) {
    const auto& o = v[before ? "before" : "after"];
    r.offset.before = before;
    const auto& m = *o.MemberBegin();
    const std::string unit = m.name.GetString();
    r.offset.amount = m.value.GetInt() * (unit == "weeks" ? 7 : 1);
    r.offset.unit = unit == "months"     ? Offset::Unit::months
                    : unit == "hours"    ? Offset::Unit::hours
                    : unit == "workdays" ? Offset::Unit::workdays
                                         : Offset::Unit::days;
  }
  r.to = text(v["to"], at + "/to");
  r.source = *source(v, "source", at);
  check_source(r.source, seed, at);
  r.only = optional_text(v, "only", at);
  if (v.HasMember("case_words")) {
    if (!r.only) error(at, "\"case_words\" needs the \"only\" they tell");
    r.case_words = words(v["case_words"], at + "/case_words");
    if (v.HasMember("case_set")) r.case_set = condition(v["case_set"]);
  }
  r.passed = optional_text(v, "passed", at);
  r.lateness = optional_text(v, "lateness", at);
  r.lateness_source = source(v, "lateness_source", at);
  if (r.lateness && !r.lateness_source) error(at, "\"lateness\" needs a \"lateness_source\"");
  if (r.lateness_source && r.lateness_source->seed != seed) error(at + "/lateness_source/seed", "is not this script's seed");
  if (v.HasMember("at")) r.at = v["at"].GetString();
  return r;
}

Fact ScriptReader::fact(const Json& v, const std::string& at, const std::string& seed) {
  Fact f;
  const bool stated = v.HasMember("en") || v.HasMember("zh");
  const bool by_faq = v.HasMember("faq");
  const bool silent = v.HasMember("silent");
  if (static_cast<int>(stated) + static_cast<int>(by_faq) + static_cast<int>(silent) != 1) {
    error(at, "a fact is a text (\"en\", \"zh\"), an \"faq\" or a \"silent\" note: exactly one");
    return f;
  }
  if (by_faq) {
    f.faq = v["faq"].GetString();
    for (const char* field : {"source", "only"})
      if (v.HasMember(field)) error(at + "/" + field, "the FAQ entry carries its own");
    return f;
  }
  if (silent) {
    f.stated = false;
    f.text = text(v["silent"], at + "/silent");
    if (v.HasMember("only")) error(at + "/only", "a silent fact states nothing to hold a condition");
  } else {
    if (!v.HasMember("en") || !v.HasMember("zh")) {
      error(at, "a fact's text needs both \"en\" and \"zh\"");
      return f;
    }
    f.text = text(v, at);
    f.only = optional_text(v, "only", at);
  }
  f.source = source(v, "source", at);
  check_source(f.source, seed, at);
  return f;
}

Thing ScriptReader::thing(const Json& v, const std::string& at, const std::string& seed) {
  Thing t;
  t.id = v["id"].GetString();
  t.main = v.HasMember("main") && v["main"].GetBool();
  t.label = text(v["label"], at + "/label");
  t.names = words(v["names"], at + "/names");
  if (v.HasMember("inside")) t.inside = v["inside"].GetString();
  for (const auto& m : v["facts"].GetObject()) {
    std::string attribute = m.name.GetString();
    t.facts.emplace(attribute, fact(m.value, at + "/facts/" + escape_pointer_token(attribute), seed));
  }
  return t;
}

University ScriptReader::university(const Json& v, const std::string& expected_id) {
  University u;
  u.id = v["id"].GetString();
  if (u.id != expected_id) error("/id", in_quotes(u.id) + " does not match the file name");
  u.name = text(v["name"], "/name");
  u.short_name = text(v["short"], "/short");
  u.city = optional_text(v, "city", "");
  const auto& aliases = v["aliases"];
  for (rapidjson::SizeType i = 0; i < aliases.Size(); ++i) {
    std::string alias = normalise(aliases[i].GetString());
    if (alias.empty()) error("/aliases/" + std::to_string(i), "is empty once normalised");
    else u.aliases.push_back(std::move(alias));
  }
  u.document = text(v["document"], "/document");
  u.office = text(v["office"], "/office");
  if (v.HasMember("outside")) {
    const auto& list = v["outside"];
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const std::string at = "/outside/" + std::to_string(i);
      u.outside.push_back({words(list[i]["words"], at + "/words"),
                           list[i].HasMember("unless") ? words(list[i]["unless"], at + "/unless") : std::vector<std::string>{},
                           text(list[i]["says"], at + "/says"), text(list[i]["then"], at + "/then")});
    }
  }
  u.seed = v["seed"].GetString();
  if (v.HasMember("deadlines")) {
    const auto& list = v["deadlines"];
    std::set<std::string> kinds;
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const std::string at = "/deadlines/" + std::to_string(i);
      u.deadlines.push_back(dated_rule(list[i], at, u.seed));
      if (!kinds.insert(u.deadlines.back().date).second)
        error(at + "/date", "a second rule for " + in_quotes(u.deadlines.back().date));
    }
  }
  if (v.HasMember("expected")) {
    const auto& list = v["expected"];
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i)
      u.expected.push_back(dated_rule(list[i], "/expected/" + std::to_string(i), u.seed));
  }
  if (v.HasMember("things")) {
    const auto& list = v["things"];
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i)
      u.things.push_back(thing(list[i], "/things/" + std::to_string(i), u.seed));
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
  check_things(u);
  return u;
}

Common ScriptReader::common(const Json& v) {
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
    const std::string at = "/commands/" + escape_pointer_token(m.name.GetString());
    for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
      std::string phrase = normalise(m.value[i].GetString());
      // An empty phrase would match every message ("!" normalises to "").
      if (phrase.empty()) error(at + "/" + std::to_string(i), "is empty once normalised");
      else phrases.push_back(std::move(phrase));
    }
    c.commands.emplace(m.name.GetString(), std::move(phrases));
  }
  for (const auto& key : required_commands())
    if (!c.commands.contains(key)) error("/commands", "missing the command " + in_quotes(key));
  const auto& synonyms = v["synonyms"];
  for (rapidjson::SizeType g = 0; g < synonyms.Size(); ++g) {
    std::vector<std::string> terms;
    for (rapidjson::SizeType i = 0; i < synonyms[g].Size(); ++i) {
      std::string term = synonyms[g][i].GetString();
      if (normalise(term).empty()) error("/synonyms/" + std::to_string(g) + "/" + std::to_string(i), "is empty once normalised");
      else terms.push_back(std::move(term));
    }
    c.synonyms.push_back(std::move(terms));
  }
  for (const auto& m : v["texting"].GetObject()) {
    std::string form = normalise(m.name.GetString());
    std::string meaning = normalise(m.value.GetString());
    const std::string at = "/texting/" + escape_pointer_token(m.name.GetString());
    // (Or two joined by one "/": "w/o".)
    const auto slash = form.find('/');
    const bool one_word = !form.empty() && form.front() != '/' && form.back() != '/' &&
                          (slash == std::string::npos || form.find('/', slash + 1) == std::string::npos) &&
                          std::all_of(form.begin(), form.end(), [](char ch) {
                            return ch == '/' || std::isalnum(static_cast<unsigned char>(ch)) != 0;
                          });
    // (Or Chinese characters typed for others of the same sound: "体减"
    // for "体检", mended wherever they stand.)
    const bool chinese = !form.empty() && only_cjk(form) && only_cjk(meaning);
    if (!one_word && !chinese)
      error(at, "a texting form is one word of letters and digits, two joined by one \"/\", or Chinese characters "
                "(for Chinese ones)");
    else if (meaning.empty()) error(at, "is empty once normalised");
    else c.texting.emplace(std::move(form), std::move(meaning));
  }
  if (v.HasMember("english_words"))
    for (const auto& w : v["english_words"].GetArray()) c.english_words.emplace_back(w.GetString());
  std::set<std::string> ids;
  const auto& attributes = v["attributes"];
  for (rapidjson::SizeType i = 0; i < attributes.Size(); ++i) {
    const std::string at = "/attributes/" + std::to_string(i);
    Attribute a{attributes[i]["id"].GetString(), text(attributes[i]["label"], at + "/label"),
                words(attributes[i]["words"], at + "/words"), {}};
    if (attributes[i].HasMember("evidence")) a.evidence = words(attributes[i]["evidence"], at + "/evidence");
    a.by_entries = attributes[i].HasMember("by_entries") && attributes[i]["by_entries"].GetBool();
    a.of_a_place = attributes[i].HasMember("of_a_place") && attributes[i]["of_a_place"].GetBool();
    a.property = attributes[i].HasMember("property") && attributes[i]["property"].GetBool();
    if (a.by_entries && a.evidence.empty()) error(at + "/by_entries", "needs \"evidence\" to tell what gives it");
    if (!ids.insert("a:" + a.id).second) error(at + "/id", "a second attribute " + in_quotes(a.id));
    c.attributes.push_back(std::move(a));
  }
  const auto& dates = v["dates"];
  for (rapidjson::SizeType i = 0; i < dates.Size(); ++i) {
    const std::string at = "/dates/" + std::to_string(i);
    DateKind k{dates[i]["id"].GetString(), text(dates[i]["label"], at + "/label"),
               text(dates[i]["noted"], at + "/noted"), optional_text(dates[i], "silent", at),
               words(dates[i]["words"], at + "/words"),
               dates[i].HasMember("done") && dates[i]["done"].GetBool()};
    for (const auto* s : {&k.noted.en, &k.noted.zh}) check_placeholders(*s, at + "/noted");
    if (k.silent)
      for (const auto* s : {&k.silent->en, &k.silent->zh}) check_placeholders(*s, at + "/silent");
    if (!ids.insert("d:" + k.id).second) error(at + "/id", "a second date kind " + in_quotes(k.id));
    c.dates.push_back(std::move(k));
  }
  if (!ids.contains("d:expiry")) error("/dates", "missing the date kind \"expiry\": the permit's expiry date");
  c.faq = faqs(v["faq"], "/faq");
  return c;
}

void ScriptReader::check_placeholders(const std::string& s, const std::string& at) {
  const auto& known = known_placeholders();
  for (std::size_t open = s.find('{'); open != std::string::npos; open = s.find('{', open + 1)) {
    auto close = s.find('}', open);
    if (close == std::string::npos) return error(at, "an unclosed \"{\"");
    std::string name = s.substr(open + 1, close - open - 1);
    if (std::find(known.begin(), known.end(), name) == known.end())
      error(at, "unknown placeholder " + in_quotes("{" + name + "}"));
  }
}

}  // namespace permit::dialogs
