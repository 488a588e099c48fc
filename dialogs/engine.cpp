#include "dialogs/engine.hpp"

#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace permit::dialogs {
namespace {

// A list of common.json's `commands` ("hedges", "interjections"), if the
// scripts have it.
const std::vector<std::string>* command_list(const Common& common, const char* name) {
  auto it = common.commands.find(name);
  return it == common.commands.end() ? nullptr : &it->second;
}

// Month names are read by the date parser, so the speller may correct
// towards them ("Janaury").
constexpr const char* kMonthNames =
    "january february march april may june july august september october november december";

void learn_faq(Analyzer& analyzer, const Faq& f) {
  for (const auto* t : {&f.topic, &f.answer}) {
    analyzer.learn(t->en);
    analyzer.learn(t->zh);
  }
  for (const auto& q : f.questions) analyzer.learn(q);
}


// An answer's text without its pointers to the university's office ("ask
// the ISO", "请咨询国际学生办公室"): nearly every answer ends with one, and
// its "office" is no place the answer gives. (Another office asked, the
// embassy, stays.)
std::string without_referrals(std::string text) {
  auto cut = [&](std::string_view opener, std::initializer_list<std::string_view> ends,
                 std::initializer_list<std::string_view> office) {
    for (std::size_t at = text.find(opener); at != std::string::npos; at = text.find(opener, at + 1)) {
      std::size_t end = text.size();
      for (auto e : ends) end = std::min(end, text.find(e, at));
      const std::string_view clause = std::string_view(text).substr(at, end - at);
      if (std::any_of(office.begin(), office.end(), [&](auto w) { return clause.find(w) != std::string_view::npos; }))
        text.replace(at, end - at, std::string(end - at, ' '));
    }
  };
  for (auto opener : {"ask the ", "ask your ", "ask that "})
    cut(opener, {".", ";"}, {"office", "Office", "College", "ISO", "Education"});
  cut("咨询", {"。", "；", "，"}, {"国际", "办公室"});
  return text;
}

}  // namespace

std::string fill(std::string_view pattern, const Fill& values) {
  std::string out;
  out.reserve(pattern.size() + 32);
  std::size_t i = 0;
  while (i < pattern.size()) {
    // The text up to the next '{' in one piece (a reply is mostly text; a
    // character at a time was most of this function's cost).
    const auto open = pattern.find('{', i);
    out.append(pattern.substr(i, open - i));
    if (open == std::string_view::npos) break;
    i = open;
    auto close = pattern.find('}', i);
    if (close != std::string_view::npos) {
      auto name = pattern.substr(i + 1, close - i - 1);
      auto it = std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
      if (it != values.end()) {
        out += it->second;
        i = close + 1;
        continue;
      }
    }
    out.push_back(pattern[i++]);
  }
  return out;
}

// ---- Engine -------------------------------------------------------------

Engine::Engine(ScriptSet scripts, std::int64_t release)
    : scripts_(std::move(scripts)),
      release_(release),
      analyzer_({&scripts_.common.synonyms, &scripts_.common.texting, &scripts_.common.english_words,
                 command_list(scripts_.common, "hedges"), command_list(scripts_.common, "interjections")}) {
  const Common& common = scripts_.common;
  for (std::size_t i = 0; i < scripts_.universities.size(); ++i) {
    const auto& u = scripts_.universities[i];
    for (Lang lang : {Lang::en, Lang::zh}) {
      std::string& list = university_lists_[lang == Lang::zh ? 1 : 0];
      list += (i ? "\n" : "") + std::to_string(i + 1) + ". " + u.name.in(lang);
      if (u.short_name.in(lang) != u.name.in(lang)) list += " (" + u.short_name.in(lang) + ")";
    }
    university_choices_.push_back("u:" + u.id);
  }
  // The speller's vocabulary: every word the scripts use.
  analyzer_.learn(kMonthNames);
  for (const auto& [name, phrases] : common.commands)
    for (const auto& p : phrases) analyzer_.learn(p);
  for (const auto& [form, words] : common.texting) analyzer_.learn(words);
  for (const auto& f : common.faq) learn_faq(analyzer_, f);
  for (std::size_t i = 0; i < common.attributes.size(); ++i)
    for (const auto& w : common.attributes[i].words) {
      analyzer_.learn(w);
      attributes_.add(i, w);
    }
  for (std::size_t i = 0; i < common.dates.size(); ++i)
    for (const auto& w : common.dates[i].words) {
      analyzer_.learn(w);
      dates_.add(i, w);
    }
  for (std::size_t i = 0; i < kWordLists.size(); ++i)
    if (auto it = common.commands.find(kWordLists[i]); it != common.commands.end()) {
      listed_[i] = &it->second;
      for (const auto& w : it->second) words_[i].add(0, w);
    }
  if (auto it = common.commands.find("not_topics"); it != common.commands.end())
    for (const auto& phrase : it->second)
      for (const auto& w : analyzer_.analyse(phrase).words) not_topics_.insert(w.stem);
  for (const auto& u : scripts_.universities) {
    for (const auto& a : u.aliases) analyzer_.learn(a);
    for (const auto& t : u.things) {
      for (const auto& n : t.names) analyzer_.learn(n);
      analyzer_.learn(t.label.en);
    }
    for (const auto& f : u.faq) learn_faq(analyzer_, f);
    for (const auto& [id, n] : u.nodes) analyzer_.learn(n.text.en);
  }

  // Which attributes each answer gives, in either language.
  PhraseIndex evidence;
  std::uint32_t without_evidence = 0;
  for (std::size_t i = 0; i < common.attributes.size() && i < 32; ++i) {
    for (const auto& w : common.attributes[i].evidence) evidence.add(i, w);
    if (common.attributes[i].evidence.empty()) without_evidence |= 1u << i;
  }
  auto note_evidence = [&](const Faq& f) {
    std::uint32_t bits = without_evidence;
    for (const auto* text : {&f.answer.en, &f.answer.zh})
      for (const auto& h : evidence.find(analyzer_.analyse(without_referrals(*text)))) bits |= 1u << h.id;
    evidence_[&f] = bits;
  };
  for (const auto& f : common.faq) note_evidence(f);
  for (const auto& u : scripts_.universities)
    for (const auto& f : u.faq) note_evidence(f);

  for (const auto& u : scripts_.universities) {
    Index index;
    index.ranker = std::make_unique<Ranker>();
    // The bot's own entries are found by their questions only: their
    // answers talk of steps, deadlines and passports like every other one.
    auto add = [&](const Faq& f, bool with_answer) {
      std::string doc = f.topic.en + "\n" + f.topic.zh;
      if (with_answer) doc += "\n" + f.answer.en + "\n" + f.answer.zh;
      for (const auto& q : f.questions) doc += "\n" + q;
      index.ranker->add(analyzer_.terms(doc));
      index.entries.push_back(&f);
      index.by_id.emplace(f.id, &f);
    };
    for (const auto& f : u.faq) add(f, true);
    for (const auto& f : common.faq) add(f, false);
    index.ranker->finish();
    index.ranker->vocabulary(vocabulary_);
    for (const auto& f : u.faq)
      for (const auto& w : analyzer_.analyse(f.topic.en).words)
        if (!is_stopword(w.text)) topic_words_[u.id].insert(w.stem);
    for (std::size_t i = 0; i < u.things.size(); ++i)
      for (const auto& n : u.things[i].names) {
        index.things.add(i, n);
        for (std::size_t at = 0; at < n.size();) {
          const std::size_t end = std::min(n.find(' ', at), n.size());
          if (end > at && static_cast<unsigned char>(n[at]) < 0x80) index.name_words.emplace(n.substr(at, end - at));
          at = end + 1;
        }
      }
    indexes_.emplace(u.id, std::move(index));
  }
  // Whether any entry of a university holds a word of the family list
  // (see unmentioned): known once, not on each message naming a family member.
  if (const auto it = common.commands.find("family"); it != common.commands.end())
    for (auto& [id, index] : indexes_)
      index.covers_family = std::any_of(it->second.begin(), it->second.end(), [&, &uid = id](const std::string& phrase) {
        const auto terms = analyse(phrase).terms;
        return std::any_of(terms.begin(), terms.end(), [&](const std::string& t) {
          return t[0] != '~' && t[0] != '^' && knows(uid, t) && !is_stopword(t);
        });
      });
  index_other_cases();
  for (const auto& u : scripts_.universities)
    for (const auto& f : u.faq)
      for (const auto* text : {&f.answer.en, &f.answer.zh})
        for (const auto& h : things_in(u.id, analyse(*text))) named_[&f].insert(&u.things[h.id]);
}

bool Engine::names(const Faq& faq, const Thing& thing) const {
  const auto it = named_.find(&faq);
  return it != named_.end() && it->second.contains(&thing);
}

void Engine::index_other_cases() {
  // The words of the cases of other pages' time limits that no rule of a
  // page has (a transfer at HUST): see unmentioned_case.
  for (auto& [id, index] : indexes_) {
    const University* here = university(id);
    for (const auto& other : scripts_.universities) {
      if (other.id == id) continue;
      for (const auto& rule : other.deadlines) {
        if (rule.case_set.empty()) continue;
        const bool ours = std::any_of(here->deadlines.begin(), here->deadlines.end(),
                                      [&](const DatedRule& r) { return r.case_set == rule.case_set; });
        if (!ours)
          for (const auto& w : rule.case_words) {
            index.other_cases.add(0, w);
            index.other_case_words.insert(w);
          }
      }
    }
  }
}

const University* Engine::university(const std::string& id) const {
  for (const auto& u : scripts_.universities)
    if (u.id == id) return &u;
  return nullptr;
}

std::vector<Engine::Match> Engine::rank(const std::string& university, const Analysis& question,
                                        std::size_t limit) const {
  std::vector<Match> out;
  auto it = indexes_.find(university);
  if (it == indexes_.end()) return out;
  for (const auto& hit : it->second.ranker->search(question.terms, limit, &vocabulary_))
    out.push_back({it->second.entries[hit.document], hit.confidence, hit.score, hit.unknown_words});
  return out;
}

std::vector<PhraseIndex::Hit> Engine::things_in(const std::string& university, const Analysis& a) const {
  auto it = indexes_.find(university);
  return it == indexes_.end() ? std::vector<PhraseIndex::Hit>{} : it->second.things.find(a);
}

std::string Engine::unmentioned_case(const std::string& university, const Analysis& a) const {
  const auto here = indexes_.find(university);
  if (here == indexes_.end()) return "";
  // (As written: the index matches stems, and "bank transfer" is no
  // "transferred".)
  for (const auto& h : here->second.other_cases.find(a)) {
    std::string said = a.text.substr(h.begin, h.end - h.begin);
    if (here->second.other_case_words.contains(said)) return said;
  }
  return "";
}

std::string Engine::unmentioned(const std::string& university, const Analysis& a) const {
  const auto here = indexes_.find(university);
  if (here == indexes_.end()) return "";
  // "我老婆也在重庆 她的居留许可怎么办" at CQUPT, whose page says nothing of
  // family members: the family member named, when no entry holds any word
  // of the list (HUST's and JSNU's pages cover them).
  if (!here->second.covers_family)
    if (const auto family = words(Words::family).find(a); !family.empty())
      return a.text.substr(family.front().begin, family.front().end - family.front().begin);
  if (auto word = unmentioned_case(university, a); !word.empty()) return word;
  const auto ours = here->second.things.find(a);
  for (const auto& [id, index] : indexes_) {
    if (id == university) continue;
    for (const auto& h : index.things.find(a)) {
      const bool named_here = std::any_of(ours.begin(), ours.end(), [&](const PhraseIndex::Hit& o) {
        return o.begin < h.end && h.begin < o.end;
      });
      if (named_here) continue;
      const std::string words = a.text.substr(h.begin, h.end - h.begin);
      auto terms = analyse(words).terms;
      std::erase_if(terms, [](const std::string& t) { return t[0] == '~' || t[0] == '^'; });
      if (!terms.empty() && std::none_of(terms.begin(), terms.end(), [&](const std::string& t) { return knows(university, t); }))
        return words;
    }
  }
  // A word of another university's topics that none of these entries
  // holds ("do i also have to submit online in some exit entry app" at
  // CQUPT, whose page has no app); not one of the words that ask (an
  // attribute's: "how much", "opening").
  std::optional<std::vector<PhraseIndex::Hit>> asked;  // found once, if a word needs them
  for (const auto& w : a.words) {
    const auto first = static_cast<unsigned char>(w.text[0]);
    if (is_stopword(w.text) || std::isdigit(first) || first >= 0x80 || not_topics_.contains(w.stem) ||
        knows(university, w.stem))
      continue;
    for (const auto& [id, words] : topic_words_) {
      if (id == university || !words.contains(w.stem)) continue;
      if (!asked) asked = attributes_.find(a);
      if (std::any_of(asked->begin(), asked->end(), [&](const PhraseIndex::Hit& h) { return h.begin <= w.begin && w.end <= h.end; }))
        break;
      // (Only where that university's answer to the question is an entry
      // of such a topic: "before", "find" are in topics too.)
      const auto there = rank(id, a, 1);
      if (there.empty() || there.front().confidence < kAnswer) continue;
      for (const auto& t : analyzer_.analyse(there.front().faq->topic.en).words)
        if (t.stem == w.stem) return w.text;
    }
  }
  return "";
}

const Faq* Engine::faq(const std::string& university, const std::string& id) const {
  auto it = indexes_.find(university);
  if (it != indexes_.end()) {
    auto f = it->second.by_id.find(id);
    if (f != it->second.by_id.end()) return f->second;
  }
  for (const auto& f : scripts_.common.faq)
    if (f.id == id) return &f;
  return nullptr;
}

const std::vector<std::string>& Engine::listed(Words list) const {
  static const std::vector<std::string> kNone;
  const auto* words = listed_[static_cast<std::size_t>(list)];
  return words == nullptr ? kNone : *words;
}

std::vector<PhraseIndex::Hit> Engine::written(Words list, const Analysis& a) const {
  auto hits = words(list).find(a);
  const auto& as_written = listed(list);
  std::erase_if(hits, [&](const PhraseIndex::Hit& h) {
    const std::string_view said = std::string_view(a.text).substr(h.begin, h.end - h.begin);
    return std::find(as_written.begin(), as_written.end(), said) == as_written.end();
  });
  return hits;
}

bool Engine::names_word(const std::string& university, const std::string& word) const {
  auto it = indexes_.find(university);
  return it != indexes_.end() && it->second.name_words.contains(word);
}

bool Engine::knows(const std::string& university, const std::string& term) const {
  auto it = indexes_.find(university);
  return it != indexes_.end() && it->second.ranker->holds(term);
}

bool Engine::gives(const Faq& faq, std::size_t attribute) const {
  auto it = evidence_.find(&faq);
  return attribute >= 32 || it == evidence_.end() || (it->second >> attribute & 1u) != 0;
}

Outcome Engine::respond(std::string_view state, const Inbound& message,
                        std::chrono::system_clock::time_point now) const {
  auto st = StudentState::read(state);
  if (!st) return keep(state, message, "unreadable");
  return bounded(state, message, respond(std::move(*st), message, now));
}

Outcome Engine::keep(std::string_view state, const Inbound& message, std::string why) const {
  Outcome out;
  out.state = std::string(state);
  out.replies.push_back(scripts_.common.text("state_kept").in(has_cjk(message.text) ? Lang::zh : Lang::en));
  out.kept = std::move(why);
  return out;
}

Outcome Engine::bounded(std::string_view state, const Inbound& message, Outcome out) const {
  if (out.state.size() <= StudentState::kMaxBytes) return out;
  return keep(state, message, "too_large");
}

Outcome Engine::respond(StudentState&& st, const Inbound& message, std::chrono::system_clock::time_point now) const {
  Outcome out;
  Turn turn(*this, st, out, now);
  switch (message.kind) {
    case Inbound::Kind::text:
    case Inbound::Kind::voice:
      if (st.messages < std::numeric_limits<std::int64_t>::max()) ++st.messages;
      if (message.kind == Inbound::Kind::voice) turn.handle_voice(message.text);
      else turn.handle_text(message.text);
      break;
    case Inbound::Kind::subscribe:
      st.subscribed = true;
      turn.welcome();
      break;
    case Inbound::Kind::unsubscribe:
      st.subscribed = false;
      break;
    case Inbound::Kind::unsupported:
      turn.unsupported();
      break;
    case Inbound::Kind::ignored:
      break;
  }
  turn.end_turn();
  st.last = turn.language();
  st.release = turn.in_walkthrough() ? release_ : 0;
  if (auto r = turn.reply(); !r.empty()) out.replies.push_back(std::move(r));
  out.state = st.serialise();
  out.parsed = std::make_shared<const StudentState>(std::move(st));
  return out;
}

}  // namespace permit::dialogs
