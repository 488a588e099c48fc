// Questions: what a student asks about (a thing and its attribute, or an
// FAQ topic), and the answer, a question back, or "the page does not say".

#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>

namespace permit::dialogs {
namespace {

// Covered byte ranges of a text.
struct Cover {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  void add(std::size_t b, std::size_t e) { ranges.emplace_back(b, e); }
  bool covers(std::size_t b, std::size_t e) const {
    return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) { return r.first <= b && e <= r.second; });
  }
};

// Keeps the longest of overlapping hits (they come sorted by start, the
// longest first at each start).
std::vector<PhraseIndex::Hit> without_overlaps(std::vector<PhraseIndex::Hit> hits) {
  std::vector<PhraseIndex::Hit> out;
  std::size_t last_end = 0;
  for (const auto& h : hits) {
    if (!out.empty() && h.begin < last_end) continue;
    out.push_back(h);
    last_end = h.end;
  }
  return out;
}

// Words in a question that need an answer of their own when they are not
// explained by its attribute or thing: a handful mean "more than
// attribute of thing".
constexpr int kLeftoverForContext = 0;
constexpr int kLeftoverForNamedThing = 1;

}  // namespace

Reading Turn::read(const std::string& part) const {
  Reading r;
  r.analysis = engine_.analyse(part);
  const Analysis& a = r.analysis;
  Cover cover;
  for (const auto& h : engine_.attribute_words().find(a)) {
    cover.add(h.begin, h.end);
    if (std::find(r.attributes.begin(), r.attributes.end(), h.id) == r.attributes.end()) r.attributes.push_back(h.id);
  }
  std::sort(r.attributes.begin(), r.attributes.end());  // the order of common.json is the precedence
  if (uni_ != nullptr) {
    for (const auto& h : without_overlaps(engine_.things_in(uni_->id, a))) {
      cover.add(h.begin, h.end);
      const Thing* t = &uni_->things[h.id];
      if (std::find(r.things.begin(), r.things.end(), t) == r.things.end()) r.things.push_back(t);
    }
  }
  for (const auto& h : engine_.pointer_words().find(a)) {
    cover.add(h.begin, h.end);
    r.refers_back = true;
  }
  for (const auto& h : engine_.question_words().find(a)) cover.add(h.begin, h.end);
  for (const auto& w : a.words) {
    const bool number = std::all_of(w.text.begin(), w.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!number && !is_stopword(w.text) && !cover.covers(w.begin, w.end)) ++r.leftover;
  }
  int cjk = 0;
  for (std::size_t i = 0; i < a.text.size();) {
    const std::size_t start = i;
    const char32_t c = next_code_point(a.text, i);
    if (is_cjk(c) && !cover.covers(start, i)) ++cjk;
  }
  r.leftover += (cjk + 1) / 2;  // about two characters to a word
  return r;
}

const Thing* Turn::context_thing() const {
  if (uni_ == nullptr || st_.context.thing.empty()) return nullptr;
  return uni_->thing(st_.context.thing);
}

Understood Turn::rank(const Reading& r) const {
  Understood u;
  auto matches = engine_.rank(uni_->id, r.analysis, 3);
  if (matches.empty()) return u;
  const auto& top = matches.front();
  const bool clear_lead = matches.size() == 1 || top.score >= Engine::kMargin * matches[1].score;
  if ((top.confidence >= Engine::kAnswer && clear_lead) || top.confidence >= Engine::kSure) {
    u.kind = Understood::Kind::faq;
    u.faq = top.faq;
    u.thing = top.faq->about.empty() ? nullptr : uni_->thing(top.faq->about);
    return u;
  }
  u.kind = top.confidence >= Engine::kOffer ? Understood::Kind::clarify : Understood::Kind::none;
  u.options = std::move(matches);
  return u;
}

Understood Turn::understand(const Reading& r, const Thing* context) const {
  // "Where is the Immigration Office?", "its opening hours?": an attribute
  // of a thing, named or talked about just before, is answered from that
  // thing's own facts, never from another's.
  if (!r.attributes.empty()) {
    const Thing* thing = nullptr;
    if (!r.things.empty()) {
      // Of several things named, the first that has the attribute.
      thing = r.things.front();
      for (const Thing* t : r.things)
        if (t->facts.contains(common_.attributes[r.attributes.front()].id)) {
          thing = t;
          break;
        }
      if (r.leftover > kLeftoverForNamedThing) {
        // More words than "attribute of thing": an entry may say it better.
        Understood ranked = rank(r);
        if (ranked.kind == Understood::Kind::faq) return ranked;
      }
    } else if (r.leftover <= kLeftoverForContext || (r.refers_back && r.leftover <= kLeftoverForNamedThing)) {
      thing = context;
      if (thing == nullptr)
        for (const auto& t : uni_->things)
          if (t.main) thing = &t;
    }
    if (thing != nullptr) {
      Understood u;
      u.kind = Understood::Kind::fact;
      u.thing = thing;
      u.attribute = r.attributes.front();
      return u;
    }
  }
  return rank(r);
}

void Turn::answer_faq(const Faq& faq) {
  std::string answer = faq.answer.in(lang);
  if (faq.source) answer += "\n" + source_line(*faq.source);
  say(std::move(answer));
  out_.stated.push_back("faq:" + faq.id);
  st_.context.thing = faq.about;
  touch_context();
}

void Turn::say_fact(const Thing& thing, std::size_t attribute) {
  const Attribute& a = common_.attributes[attribute];
  auto it = thing.facts.find(a.id);
  st_.context.thing = thing.id;
  touch_context();
  if (it != thing.facts.end() && !it->second.faq.empty()) {
    if (const Faq* f = engine_.faq(uni_->id, it->second.faq)) {
      answer_faq(*f);
      st_.context.thing = thing.id;
      return;
    }
  }
  const Fill names = {{"thing", thing.label.in(lang)}, {"attribute", a.label.in(lang)}};
  if (it != thing.facts.end() && it->second.stated && it->second.text) {
    const Fact& f = it->second;
    Fill values = names;
    values.emplace_back("fact", f.text->in(lang));
    std::string m = text("fact", values);
    if (f.only) m += "\n" + text("fact_only", {{"only", f.only->in(lang)}});
    if (f.source) m += "\n" + source_line(*f.source);
    out_.stated.push_back("fact:" + thing.id + "." + a.id);
    return say(std::move(m));
  }
  // The page is silent on it: say so, with what it does say instead.
  std::string m = text("fact_not_given", names);
  if (it != thing.facts.end() && it->second.text) {
    m += "\n" + text("fact_note", {{"fact", it->second.text->in(lang)}});
    if (it->second.source) m += "\n" + source_line(*it->second.source);
  }
  say(std::move(m));
}

void Turn::offer(const std::vector<Engine::Match>& options, const char* key, const Fill& values) {
  std::string choices;
  for (std::size_t i = 0; i < options.size(); ++i) {
    choices += std::to_string(i + 1) + ". " + options[i].faq->topic.in(lang) + "\n";
    st_.choices.push_back("faq:" + options[i].faq->id);
  }
  st_.choices.push_back("staff");
  Fill all = values;
  all.emplace_back("choices", choices);
  all.emplace_back("n", std::to_string(st_.choices.size()));
  say(text(key, all));
}

void Turn::answer_question(const std::string& raw) {
  struct Part {
    std::string text;
    Understood understood;
  };
  std::vector<Part> parts;
  const Thing* context = context_thing();
  for (auto& piece : split_question(engine_, raw)) {
    Reading r = read(piece);
    if (r.analysis.terms.empty() && r.attributes.empty()) continue;  // "hi", "thanks"
    Understood u = understand(r, context);
    // "Where is the hospital and what are its hours?": the second part
    // refers to the first's thing.
    if (u.thing != nullptr) context = u.thing;
    parts.push_back({std::move(piece), std::move(u)});
  }
  auto answered = [](const Part& p) {
    return p.understood.kind == Understood::Kind::fact || p.understood.kind == Understood::Kind::faq;
  };
  // Greetings and filler are not questions: nothing to rank or record.
  if (parts.empty()) return say(text("ask_question"));
  if (parts.size() > 1 && std::none_of(parts.begin(), parts.end(), answered)) {
    // No part makes sense alone: read it as one question.
    Reading whole = read(raw);
    parts = {Part{raw, understand(whole, context_thing())}};
  }
  const bool any = std::any_of(parts.begin(), parts.end(), answered);
  bool offered = false;
  for (const auto& p : parts) {
    const Understood& u = p.understood;
    if (u.kind == Understood::Kind::fact) {
      say_fact(*u.thing, u.attribute);
      continue;
    }
    if (u.kind == Understood::Kind::faq) {
      answer_faq(*u.faq);
      continue;
    }
    out_.effects.push_back({Effect::Kind::record_unanswered, st_.university, lang_code(lang),
                            mask_numbers(any ? p.text : raw), "", "", {}});
    if (any) {
      // One part answered, this one not: say so, and offer its topics.
      if (!offered && !u.options.empty()) {
        offer(u.options, "part_offer", {{"question", mask_numbers(p.text)}});
        offered = true;
      } else {
        say(text("part_not_found", {{"question", mask_numbers(p.text)}}));
      }
      continue;
    }
    if (u.options.empty()) {
      st_.choices = {"staff"};
      say(text("not_found_no_topics"));
    } else {
      offer(u.options, u.kind == Understood::Kind::clarify ? "clarify" : "not_found");
    }
    break;  // nothing answered: one reply for the whole message
  }
}

}  // namespace permit::dialogs
