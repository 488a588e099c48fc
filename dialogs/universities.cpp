// Which university a student is at: the numbered list, what picking one
// brings back (a date or a question sent before it), and the last question
// asked again at another ("and here?"). The names a message holds are read
// in university_names.cpp.

#include "dialogs/closeness.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace permit::dialogs {

std::string Turn::university_list() {
  st_.choices = engine_.university_choices();
  return engine_.university_list(lang);
}


void Turn::answer_elsewhere(const University& named, const Analysis& analysis, const std::string& raw) {
  // Answered from that university's page, without switching.
  const University* mine = uni_;
  const std::string mine_name = mine->short_name.in(lang);
  uni_ = &named;
  say(text("other_university", {{"current", mine_name}}));
  // ("How early does she have to apply there": "there" is that university,
  // not a place asked of; what was not understood or talked about long ago
  // was on the student's own page.)
  if (!read(analysis).attributes.empty()) st_.context.unresolved = false;
  // "How long is it for her" right after the letter answered there: "it" is
  // what was answered there last, not the permit.
  // ("Where does he go to apply there": "there" is the university itself.)
  const auto pointers = engine_.words(Words::pointers).find(analysis);
  const bool points_to_it = std::any_of(pointers.begin(), pointers.end(), [&](const PhraseIndex::Hit& h) {
    const std::string_view word = std::string_view(analysis.text).substr(h.begin, h.end - h.begin);
    return word != "there" && word != "here" && word != "那边" && word != "那里" && word != "这里" && word != "这边";
  });
  if (points_to_it && st_.context.thing.empty() && st_.context.faq.empty() && st_.context.attribute.empty())
    if (const auto was = parse_answered(answered_there_); was && was->university == named.id) {
      if (was->kind == "faq")
        if (const Faq* f = engine_.faq(named.id, was->id)) {
          st_.context.faq = f->id;
          st_.context.thing = f->about;
        }
      if (was->kind == "fact") st_.context.attribute = was->id;
      if (was->kind == "thing") st_.context.thing = was->id.substr(0, was->id.find(':'));
    }
  const bool stale = std::exchange(stale_thing_, false);
  if (!dated_elsewhere(analysis)) answer_question(analysis, raw);
  stale_thing_ = stale;
  // What was answered belongs to the other university: kept only for "and
  // at CQUPT?" and "...there?" next, marked as answered elsewhere.
  std::string answered = last_answered(named.id);
  uni_ = mine;
  forget_topic();
  st_.context.before = answered.empty() ? "" : kElsewhere + answered;
}

// "For my friend at CQUPT: his visa expires 2027-02-15, when must he
// apply?", "如果在重邮和江苏师范 分别最晚哪天申请": the deadline by the page
// of the university answering (uni_), when every date's meaning is clear,
// said but not kept as the student's. False when there is no such date.
bool Turn::dated_elsewhere(const Analysis& analysis) {
  const auto dates = find_dates(analysis.text, today_);
  // "And if i were at jsnu instead?" right after when to apply, from a
  // student who gave their own date: that date by this page's rules, said
  // but not kept.
  if (dates.empty() && !st_.dates.empty()) {
    const std::size_t deadline = attribute_index("deadline");
    const Reading r = read(analysis);
    const bool asks_deadline = std::find(r.attributes.begin(), r.attributes.end(), deadline) != r.attributes.end();
    const auto last = answered_before();
    const Faq* f = last && last->kind == "faq" ? engine_.faq(last->university, last->id) : nullptr;
    const bool asked_before =
        last && ((last->kind == "fact" && last->id == "deadline") || (f != nullptr && engine_.gives(*f, deadline)));
    if (asks_deadline || asked_before) {
      elsewhere_dates_ = true;
      const bool said = say_dates_again(true);
      elsewhere_dates_ = false;
      // (What was answered, for "and at nenu?" next: the deadline.)
      if (said) {
        st_.context.faq.clear();
        st_.context.attribute = "deadline";
        touch_context();
      }
      return said;
    }
  }
  if (!dates_clear(analysis, dates)) return false;
  elsewhere_dates_ = true;
  const bool dated = handle_dates(analysis);
  elsewhere_dates_ = false;
  return dated;
}

// Whether two things (of two pages, whose ids differ: JSNU's "medical" is
// NENU's "hospital") share a name.
static bool share_a_name(const Thing& a, const Thing& b) {
  return std::any_of(a.names.begin(), a.names.end(),
                     [&](const std::string& n) { return std::find(b.names.begin(), b.names.end(), n) != b.names.end(); });
}

bool Turn::dates_clear(const Analysis& analysis, const std::vector<DateFound>& dates) const {
  return !dates.empty() && std::all_of(dates.begin(), dates.end(), [&](const DateFound& f) {
    return f.status == DateFound::Status::found && !meaning_of(analysis, f, dates).empty();
  });
}

void Turn::answer_at_each(const std::vector<const University*>& named, const std::string& question,
                          const std::string& raw, const std::string& asked_before) {
  const University* mine = uni_;
  // (Asked at each without what compares them: "NENU vs CQUPT: how long do
  // they keep my passport", "哪个便宜" are each page's own question.)
  const Analysis asked = engine_.analyse(question);
  const auto comparing = engine_.words(Words::comparing).find(asked);
  // (Unless they are the whole question: "which is faster, NENU or CQUPT?".)
  // (What they compare by stays, where it was said: "which is cheaper"
  // asks each for its fee, not which place; "which is cheaper, CPU or
  // JSNU? and what is the office?" keeps the office to its own part.)
  std::string kept = asked.text;
  if (!comparing.empty()) {
    const auto attribute_hits = engine_.attribute_words().find(asked);
    const auto by_time = engine_.words(Words::compared_by_time).find(asked);
    const auto hits = without_overlaps(comparing);
    for (auto c = hits.rbegin(); c != hits.rend(); ++c) {
      std::string by = " ";
      for (const auto& h : attribute_hits)
        if (common_.attributes[h.id].id != "name" && c->begin <= h.begin && h.end <= c->end)
          by += asked.text.substr(h.begin, h.end - h.begin) + " ";
      // ("Which is faster", "哪个更久": by how long each takes.)
      if (by == " ")
        for (const auto& h : by_time)
          if (c->begin <= h.begin && h.end <= c->end) {
            by += common_.attributes[attribute_index("duration")].label.in(lang) + " ";
            break;
          }
      kept.replace(c->begin, c->end - c->begin, by);
    }
  }
  const Analysis without = comparing.empty() ? asked : engine_.analyse(kept);
  const Analysis& analysis = without.terms.empty() ? asked : without;
  for (const University* u : named) {
    uni_ = u;
    say(text("at_university"));
    // ("is it the same at the other unis", "其他学校也是这样吗": the last
    // question, at each.)
    before_ = asked_before;
    asking_each_ = !asked_before.empty();
    if (!dated_elsewhere(analysis)) answer_question(analysis, raw);
  }
  before_.clear();
  asking_each_ = false;
  // What was talked about belongs to several pages: no follow-up takes it.
  uni_ = mine;
  forget_topic();
}

std::string Turn::strip_filler(const std::string& text) const {
  std::string out = text;
  auto it = common_.commands.find("filler");
  if (it == common_.commands.end()) return normalise(out);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const auto& filler : it->second) {
    if (filler.empty()) continue;  // the loader refuses these; an empty one would match forever
    // Whole words for Latin fillers: "i am at" must not eat "i am attending".
    std::size_t from = 0;
    for (auto at = out.find(filler, from); at != std::string::npos; at = out.find(filler, from)) {
      const std::size_t after = at + filler.size();
      const bool left_ok = !word(filler.front()) || at == 0 || !word(out[at - 1]);
      const bool right_ok = !word(filler.back()) || after == out.size() || !word(out[after]);
      if (left_ok && right_ok) {
        out.erase(at, filler.size());
        from = at;
      } else {
        from = at + 1;
      }
    }
  }
  return normalise(out);
}

// What was last answered, at `university`, as Context::before holds it (""
// for nothing).
std::string Turn::last_answered(const std::string& university) const {
  if (university.empty()) return "";
  // A fact of the permit itself ("where do I apply?") is asked the same way
  // anywhere; an entry is asked again by its first sample question.
  if (!st_.context.attribute.empty()) return university + ":fact:" + st_.context.attribute;
  if (!st_.context.faq.empty()) return university + ":faq:" + st_.context.faq;
  // A place's fact ("where do i get the official letter"): that place's
  // name and what was asked of it.
  if (!st_.context.thing.empty() && !st_.context.asked.empty())
    return university + ":thing:" + st_.context.thing + ":" + st_.context.asked;
  return "";
}

// "and for CQUPT", "what about HUST": the words that ask the last question
// again, said with a university's name. Not "here" ("i study here at
// JSNU" is a switch), and "and for/at/in" only at the start ("im actually
// at HUST and in my second year" is not).
bool Turn::asks_it_again(const std::string& rest) const {
  const Analysis a = engine_.analyse(rest);
  std::size_t start = 0;
  while (start < a.text.size() && a.text[start] == ' ') ++start;
  for (const auto& h : engine_.words(Words::asked_again).find(a)) {
    const std::string_view said = std::string_view(a.text).substr(h.begin, h.end - h.begin);
    if (said == "here") continue;
    if (said.starts_with("and ") && h.begin != start) continue;
    return true;
  }
  return false;
}

// "And here?" right after a change of university: what was last answered
// at the one before, asked again at this one, as its topic (no student's
// words are kept for it).
std::optional<Turn::Answered> Turn::answered_before() const { return parse_answered(before_); }

// "nenu:faq:nenu_fee", or marked answered elsewhere "=cqupt:faq:letter".
std::optional<Turn::Answered> Turn::parse_answered(std::string_view before) {
  if (before.starts_with(kElsewhere)) before.remove_prefix(1);
  const auto first = before.find(':'), second = before.find(':', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
  return Answered{std::string(before.substr(0, first)), std::string(before.substr(first + 1, second - first - 1)),
                  std::string(before.substr(second + 1))};
}

std::optional<std::string> Turn::asked_before(const Analysis& message, const std::string& raw) const {
  const auto answered = answered_before();
  if (!answered) return std::nullopt;
  const std::string &uni = answered->university, &kind = answered->kind, &id = answered->id;
  const Reading r = read(message);
  const bool place = std::any_of(r.things.begin(), r.things.end(), [](const Thing* t) { return !t->main; });
  // "Where's the police station?", "i moved to cqupt now", "address?": a
  // bare attribute right after the change asks it of the same kind of
  // place here, when this page has one (not of the permit's office).
  if (!place && !r.attributes.empty() && r.things.empty() && r.leftover == 0 && !r.asks_next) {
    std::string thing_id;
    if (kind == "thing") thing_id = id.substr(0, id.find(':'));
    if (kind == "faq")
      if (const Faq* f = engine_.faq(uni, id)) thing_id = f->about;
    const Thing* here = thing_id.empty() ? nullptr : uni_->thing(thing_id);
    // (Its ids differ between pages: JSNU's "medical" is NENU's "hospital";
    // the one sharing a name with it.)
    if (here == nullptr && !thing_id.empty())
      if (const University* was = engine_.university(uni))
        if (const Thing* there = was->thing(thing_id)) {
          const auto same = std::find_if(uni_->things.begin(), uni_->things.end(),
                                         [&](const Thing& t) { return share_a_name(t, *there); });
          if (same != uni_->things.end()) here = &*same;
        }
    if (here != nullptr && !here->main && !here->names.empty()) return here->names.front() + " " + message.text;
    return std::nullopt;
  }
  // "so where do i go for that" right after the change, the last question
  // being about a topic (a lost passport): "that" is that topic, asked here
  // with what this one asks.
  if (!place && r.refers_back && r.things.empty() && !r.asks_next && !r.attributes.empty()) {
    if (kind == "faq")
      if (const Faq* f = engine_.faq(uni, id)) return f->topic.in(lang) + " " + message.text;
    // (The steps after a loss, answered as a fact: "where would i report
    // it" there asks for those steps, by the attribute's own word.)
    if (kind == "fact")
      for (const auto& a : common_.attributes)
        if (a.id == id && a.by_entries)
          for (const auto& w : a.words)
            if (has_cjk(w) == (lang == Lang::zh)) return w;
  }
  if (place || !r.attributes.empty() || r.asks_next) return std::nullopt;
  // "3 years", "办3年的呢": a permit length alone adds to the last question.
  const bool length_only = r.things.empty() && r.leftover <= 1 && told_length(message);
  // It must ask: "and here?", "那这里呢", "what about JSNU", "same
  // question there" (not "ok" or "thank you").
  const std::string& t = message.text;
  const auto asks_again = engine_.words(Words::asked_again).find(message);
  const auto marks = merged(engine_.words(Words::the_same).find(message), asks_again);
  const bool again = !marks.empty() || t.starts_with("and ") || length_only;
  // ("My cousin is at NENU": someone else there, nothing else said, is the
  // last question asked for them.)
  const bool of_others = engine_.says(Words::others, message) && !r.asks && r.leftover <= kLeftoverForPointer;
  if (!has_question_mark(raw) && !(asking_each_ && r.asks) && !r.refers_back && asks_again.empty() && !length_only &&
      !of_others)
    return std::nullopt;
  // "那华科办居留许可需要体检吗?" is a question of its own, not the last one
  // again: words of its own, and none of the words that ask again.
  if (!again && !of_others && r.leftover > 0) return std::nullopt;
  // "What about at NENU, for a 2-year permit?": the last question with
  // what this one adds, beyond the words that ask again ("same question
  // there" adds nothing).
  // (Nor does who asks it: "my friend at CQUPT asks the same".)
  std::string own = blanked(t, merged(marks, engine_.words(Words::others).find(message)));
  // ("what about the chongqing one": "the one" adds nothing.)
  // (Nor "如果...在": "如果我是在东北师大呢" is the same question there.)
  for (std::string_view one : {"the one", "that one", "this one", "如果", "假如", "要是", "在"})
    if (const auto at = own.find(one); at != std::string::npos) own.replace(at, one.size(), " ");
  const std::string adds =
      !of_others && ((r.leftover > 0 && read(own).leftover > 0) || length_only) ? " " + message.text : "";
  // The entry's first sample question in the student's language: its
  // topic may hold the other university's names ("...: Wuhan Citizens
  // Home"). (A fact of the permit, asked the same way anywhere, comes
  // before an entry: see last_answered.)
  if (kind == "faq")
    if (const Faq* f = engine_.faq(uni, id)) {
      for (const auto& q : f->questions)
        if (has_cjk(q) == (lang == Lang::zh)) return q + adds;
      return f->topic.in(lang) + adds;
    }
  // (A fact of the permit is asked of this page's permit when its label
  // reads as that fact: "fee" alone ranks JSNU's fine for illegal work.)
  if (kind == "fact")
    for (std::size_t i = 0; i < common_.attributes.size(); ++i) {
      const Attribute& a = common_.attributes[i];
      if (a.id != id) continue;
      // (By its label, or where the label does not read as it ("办理时长"),
      // by the first of its words that does ("多久").)
      auto reads_as_it = [&](const std::string& w) {
        const auto read_as = read(engine_.analyse(w)).attributes;
        return !read_as.empty() && read_as.front() == i;
      };
      std::string label = a.label.in(lang);
      if (!reads_as_it(label))
        for (const auto& w : a.words)
          if (has_cjk(w) == (lang == Lang::zh) && reads_as_it(w)) {
            label = w;
            break;
          }
      // (Where the permit's office there is a place apart here, that place:
      // NENU's Immigration Office is CPU's exit-entry office, which CPU's
      // page names but does not place; CPU's permit is its online
      // registration.)
      if (const University* was = engine_.university(uni))
        if (const Thing* theirs = was->main_thing()) {
          const auto same = std::find_if(uni_->things.begin(), uni_->things.end(),
                                         [&](const Thing& t) { return !t.main && share_a_name(t, *theirs); });
          if (same != uni_->things.end() && same->facts.contains(id)) return same->names.front() + " " + label + adds;
        }
      const Thing* main = uni_->main_thing();
      const auto read_as = read(engine_.analyse(label)).attributes;
      if (main == nullptr || read_as.empty() || read_as.front() != i) return label + adds;
      const auto name = std::find_if(main->names.begin(), main->names.end(),
                                     [&](const std::string& n) { return has_cjk(n) == (lang == Lang::zh); });
      return (name != main->names.end() ? *name + " " : "") + label + adds;
    }
  if (kind == "thing") {
    const auto colon = id.find(':');
    const University* from = engine_.university(uni);
    const Thing* thing = from != nullptr && colon != std::string::npos ? from->thing(id.substr(0, colon)) : nullptr;
    if (thing != nullptr && !thing->names.empty())
      for (const auto& a : common_.attributes)
        if (a.id == id.substr(colon + 1)) return thing->names.front() + " " + a.label.in(lang) + adds;
  }
  return std::nullopt;
}

void Turn::pick_university(const University& u) {
  if (st_.university != u.id) {
    st_.node.clear();
    st_.path.clear();
    st_.answers.clear();
    st_.ticked.clear();
    // What was being talked about belonged to the other university; a
    // date given before any university is kept.
    const std::string pending = st_.context.pending_date;
    std::string before = last_answered(st_.university);
    clear_context();
    st_.context.pending_date = pending;
    st_.context.before = std::move(before);
    touch_context();
  }
  st_.university = u.id;
  uni_ = &u;
  say(text("university_set"));
  // Dates given before the pick: their deadlines now, by this university's rules.
  if (!st_.dates.empty()) {
    const auto dates = st_.dates;
    for (const auto& [kind, iso_date] : dates)
      if (auto d = parse_iso(iso_date); d && date_kind(kind) != nullptr) note_date(kind, Moment{*d, std::nullopt}, nullptr);
    schedule_reminders();
  }
  if (!st_.context.pending_date.empty()) {
    const std::string pending = std::exchange(st_.context.pending_date, "");
    if (auto d = parse_iso(pending)) {
      DateFound f;
      f.status = DateFound::Status::found;
      f.date = *d;
      f.text = pending;
      // What the date is, now that the university's rules are known.
      if (const std::string kind = meaning_of(Analysis{}, f); !kind.empty()) {
        note_date(kind, Moment{*d, std::nullopt}, nullptr);
        schedule_reminders();
      } else {
        ask_meaning(f);
      }
    }
  }
  // A question sent before the pick is answered now, or recorded if there
  // is no answer.
  if (!st_.deferred_question.empty()) {
    std::string deferred = std::move(st_.deferred_question);
    st_.deferred_question.clear();
    handle_text(deferred);
  }
}

}  // namespace permit::dialogs
