// The replies a question gets once it is understood: a thing's fact (with
// its condition, or "the page does not say" and whom to ask), an FAQ's
// answer, the steps, or a question back (which thing? which topic?).
// answers.cpp decides which.

#include "dialogs/closeness.hpp"
#include "dialogs/permit_length.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"
#include "dialogs/closeness.hpp"
#include "dialogs/permit_length.hpp"

#include <algorithm>
#include <deque>
#include <optional>
#include <set>

namespace permit::dialogs {

void Turn::ask_which_thing(std::size_t attribute) {
  std::string list;
  for (const auto& t : uni_->things) {
    st_.choices.push_back("fact:" + t.id + ":" + common_.attributes[attribute].id);
    list += std::to_string(st_.choices.size()) + ". " + t.label.in(lang) + "\n";
  }
  say(text("which_thing", {{"attribute", common_.attributes[attribute].label.in(lang)}, {"choices", list}}));
}

const Node* Turn::step_at(const Thing& thing) const {
  for (const auto& [id, n] : uni_->nodes)
    if (n.kind == Node::Kind::step && n.thing == thing.id) return &n;
  return nullptr;
}

// A step in a few lines: what to do, where, and its source.
std::string Turn::step_lines(const Node& step) const {
  std::string m;
  if (step.action) m += "\n" + step.action->in(lang);
  if (step.where) m += "\n" + text("label_where") + " " + step.where->in(lang);
  if (step.source) m += "\n" + source_line(*step.source);
  return m;
}

void Turn::say_next_step(const Thing& after) {
  st_.context.thing = after.id;
  touch_context();
  const Node* here = step_at(after);
  if (here == nullptr) return say(text("next_step_none", {{"thing", after.label.in(lang)}}));
  say_next_step(*here, after.label.in(lang));
}

// What a condition of the walkthrough means, in the words of the question
// that sets it ("My first residence permit").
std::string Turn::condition_label(const Condition& c) const {
  for (const auto& [id, n] : uni_->nodes)
    for (const auto& o : n.options)
      if (!o.set.empty() && std::all_of(c.begin(), c.end(), [&](const auto& kv) {
            return std::find(o.set.begin(), o.set.end(), kv) != o.set.end();
          }))
        return o.label.in(lang);
  return {};
}

void Turn::say_next_step(const Node& here, const std::string& label, int depth) {
  // Where the next step depends on answers the student has not given
  // ("is it your first permit?"), every branch is said with its case:
  // following the default would be a wrong step for some.
  std::vector<std::pair<std::string, const Node*>> branches;  // (case, step)
  bool undecided = false;
  for (const auto& e : here.next) {
    const bool unknown =
        std::any_of(e.when.begin(), e.when.end(), [&](const auto& kv) { return !st_.answers.contains(kv.first); });
    if (!unknown && holds(e.when) && !undecided) break;
    undecided = undecided || unknown;
    auto it = uni_->nodes.find(e.to);
    if (it == uni_->nodes.end()) continue;
    const std::string when = e.when.empty() ? text("next_step_otherwise") : condition_label(e.when);
    // Cases that lead to the same step are said together.
    auto same = std::find_if(branches.begin(), branches.end(), [&](const auto& b) { return b.second == &it->second; });
    if (same != branches.end()) same->first += " / " + when;
    else branches.emplace_back(when, &it->second);
  }
  if (undecided && branches.size() > 1) {
    std::string m = text("next_step_depends", {{"thing", label}});
    for (const auto& [when, step] : branches) {
      m += "\n- " + when + ": " + step->text.in(lang);
      if (step->where) m += " — " + text("label_where") + " " + step->where->in(lang);
    }
    m += "\n" + text("next_step_footer");
    // What is talked about now is the step after, whichever it is: "去哪里
    // 办" next is not asked of the letter's window.
    st_.context.thing.clear();
    return say(std::move(m));
  }
  const Node* next = follow(here.next);
  if (next == nullptr) return say(text("next_step_none", {{"thing", label}}));
  // A question next whose answer the student told ("it got approved, what
  // next" after how to submit at CPU: the review's result): the step after
  // that answer, or each with its case where it depends on another.
  constexpr int kQuestionsPassed = 16;
  if (next->kind == Node::Kind::question && depth < kQuestionsPassed)
    for (const auto& o : next->options)
      if (!o.set.empty() && holds(o.set)) {
        Node answered;
        answered.next = o.next;
        return say_next_step(answered, label, depth + 1);
      }
  // After the last step, what the page says comes then ("apply for the
  // extension in time after you collect the letter").
  if (next->kind == Node::Kind::end) return say(next->text.in(lang));
  std::string m = text("next_step", {{"thing", label}, {"title", next->text.in(lang)}});
  if (next->kind == Node::Kind::step) {
    m += step_lines(*next);
    if (!next->thing.empty()) st_.context.thing = next->thing;
  }
  m += "\n" + text("next_step_footer");
  say(std::move(m));
}

// "How much for 2 years?" with a fee table: the row for 2 years, not the
// table; a length the table does not reach is said to be missing.
std::string Turn::answer_by_length(const Faq& faq) const {
  // ...or the length told just before: "i got approved for a 2 year
  // extension", then "how much is the fee then".
  auto length = asked_length_;
  if (!length) length = PermitLength::from_key(st_.context.length);
  if (!length) return faq.answer.in(lang);
  const ByLength& by = *faq.by_length;
  auto joined = [&](const std::vector<const ByLength::Row*>& rows) {
    std::string out;
    for (const auto* row : rows) out += (out.empty() ? "" : lang == Lang::zh ? "；" : "; ") + row->text.in(lang);
    return out;
  };
  const auto rows = rows_for(by, *length);
  const Fill values = {{"length", length->said().in(lang)}, {"rest", by.rest.in(lang)}};
  if (!rows.empty()) {
    Fill with_rows = values;
    with_rows.emplace_back("rows", joined(rows));
    return text("by_length", with_rows);
  }
  std::vector<const ByLength::Row*> every;
  for (const auto& row : by.rows) every.push_back(&row);
  Fill with_rows = values;
  with_rows.emplace_back("rows", joined(every));
  return text("by_length_none", with_rows);
}

// "Next semester I will move off campus, what will I upload then?": the
// row of the case the question says (of the student or of someone else);
// else of the case the student told before ("我住学校宿舍", then "do I upload
// a rental contract?": the receipt), unless asked of someone else; else
// every case, as the page gives them.
const Text& Turn::answer_by_case(const Faq& faq) const {
  const ByCase& by = *faq.by_case;
  if (const auto said = rows_said(by, asked_); said.size() == 1) return said.front()->text;
  if (asked_of_others_) return faq.answer;
  const ByCase::Row* told = nullptr;
  for (const auto& row : by.rows)
    if (holds(row.set)) {
      if (told != nullptr) return faq.answer;  // two at once: every case is said
      told = &row;
    }
  return told != nullptr ? told->text : faq.answer;
}

void Turn::answer_faq(const Faq& faq) {
  std::string answer = faq.by_length ? answer_by_length(faq)
                       : faq.by_case ? answer_by_case(faq).in(lang)
                                     : faq.answer.in(lang);
  if (faq.source) answer += "\n" + source_line(*faq.source);
  say(std::move(answer));
  if (faq.per_day) say_fine_for_days(*faq.per_day);
  if (faq.until_expiry && uni_ != nullptr && uni_->id == st_.university)
    if (const auto expiry = parse_iso(st_.expiry())) say(text(*faq.until_expiry, {{"date", iso(*expiry)}}));
  out_.stated.push_back("faq:" + faq.id);
  talked_about(faq);
}

namespace {

// 10000 -> "10,000": as the pages write their sums.
std::string grouped(long n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

void Turn::say_weekday(Date date) {
  // common.json's "weekday_names": Monday first, one word each.
  std::vector<std::string> names;
  const std::string all = text("weekday_names");
  for (std::size_t at = 0; at < all.size();) {
    const std::size_t end = std::min(all.find(' ', at), all.size());
    if (end > at) names.push_back(all.substr(at, end - at));
    at = end + 1;
  }
  const unsigned index = std::chrono::weekday{std::chrono::sys_days{date}}.iso_encoding() - 1;
  if (index < names.size()) say(text("day_is", {{"date", iso(date)}, {"weekday", names[index]}}));
}

// "逾期居留了4天 最多罚多少": the page's fine per day, worked out for the
// days the student told, or since the expiry date they gave, if it passed.
void Turn::say_fine_for_days(const PerDay& fine) {
  long days = 0;
  // (Not the student's own expiry for someone else's fine: "what's the fine
  // for my wife, her permit also expired".)
  auto of_someone_else = [&] {
    const Analysis asked = engine_.analyse(asked_);
    return asked_of_others_ || of_third_person(asked) || engine_.says(Words::family, asked);
  };
  if (!st_.context.overstay.empty()) days = std::strtol(st_.context.overstay.c_str(), nullptr, 10);
  else if (days_past_expiry() > 0 && !of_someone_else())
    days = days_past_expiry();
  // (A stored state is outside input: a count beyond any stay is none.)
  if (days <= 0 || days > kMostOverstayDays) return;
  const long product = days * fine.amount;
  // (Past the cap, the product is not said: it is no sum anyone pays.)
  const Fill values = {{"days", std::to_string(days)}, {"each", grouped(fine.amount)},
                       {"sum", grouped(std::min(product, fine.at_most))}, {"unit", fine.unit.in(lang)}};
  say(text(product > fine.at_most ? "fine_for_days_capped" : "fine_for_days", values));
}

// "逾期居留了4天", "i overstayed 4 days", "expired 4 days ago": kept for the
// fine asked next. Only a count right after the overstay's own word, or a
// count ago right after "expired": not a stay's length ("my X1 visa stay
// of 30 days expired"), a detention's ("拘留5天"), a visit's, nor a count
// ahead ("expires in 30 days").
void Turn::keep_overstay(const Analysis& message) {
  if (!engine_.says(Words::overstayed, message)) return;
  const std::string_view text = message.text;
  const auto& overstay_by = engine_.listed(Words::overstay_by);
  for (const auto& [at, days] : day_counts(text)) {
    std::string_view before = text.substr(0, at);
    while (before.ends_with(' ')) before.remove_suffix(1);
    const bool after_overstay = std::any_of(overstay_by.begin(), overstay_by.end(), [&](std::string_view w) {
      return before.ends_with(w) && (before.size() == w.size() || !latin_letter_at(before, before.size() - w.size() - 1));
    });
    // ("overstayed his residence permit by 30 days": what was overstayed
    // named between.)
    const std::size_t overstayed = before.rfind("overstay");
    const bool named_between = overstayed != std::string_view::npos && before.size() - overstayed < 48 &&
                               (before.ends_with(" by") || before.ends_with(" for"));
    // "expired 4 days ago", "过期4天了" is above.
    const std::string_view rest = text.substr(at);
    const bool expired_ago = before.ends_with("expired") && rest.find(" ago") != std::string_view::npos &&
                             rest.find(" ago") < 16;
    if ((!after_overstay && !named_between && !expired_ago) || days > kMostOverstayDays) continue;
    st_.context.overstay = std::to_string(days);
    touch_context();
    return;
  }
}

void Turn::talked_about(const Faq& faq) {
  st_.context.thing = faq.about;
  st_.context.faq = faq.id;
  st_.context.attribute.clear();
  touch_context();
}

void Turn::say_fact(const Thing& thing, std::size_t attribute) {
  const Attribute& a = common_.attributes[attribute];
  auto it = thing.facts.find(a.id);
  st_.context.thing = thing.id;
  st_.context.faq.clear();
  st_.context.attribute = thing.main ? a.id : "";
  touch_context();
  // "What's my deadline?" once the student gave dates: theirs, by this
  // university's rules. (Not dates no rule here counts from: "when must I
  // apply?" after the letter's day at JSNU is the page's own time limit,
  // not "sets no deadline counted from this date" again.)
  // (The expiry, whose silence is said in its own words, always.)
  const bool counted = std::any_of(st_.dates.begin(), st_.dates.end(), [&](const auto& d) {
    const DateKind* k = date_kind(d.first);
    return (k != nullptr && k->silent) || uni_->rule_for(d.first) != nullptr ||
           std::any_of(uni_->expected.begin(), uni_->expected.end(), [&](const DatedRule& e) { return e.date == d.first; });
  });
  if (a.id == "deadline" && thing.main && counted && uni_->id == st_.university) {
    say_dates_again(false);
    return;
  }
  if (it != thing.facts.end() && !it->second.faq.empty()) {
    if (const Faq* f = engine_.faq(uni_->id, it->second.faq)) {
      // "By when must I give the copy?" after the letter's date: that date's
      // deadline, worked out.
      if (asks_when(attribute) && say_own_dates(*f)) return;
      answer_faq(*f);
      st_.context.thing = thing.id;
      st_.context.attribute = thing.main ? a.id : "";
      return;
    }
  }
  const Fill names = {{"thing", thing.label.in(lang)}, {"attribute", a.label.in(lang)}};
  if (it == thing.facts.end() && a.by_entries) return say(text("attribute_not_given", names));
  if (it == thing.facts.end()) {
    // Two attributes every thing has without a fact for them: its name
    // ("which hospital?"), and for the permit itself its steps ("how do I
    // apply?"); and "what's my deadline?" from the dates already given.
    if (a.id == "name") {
      std::string m = text("thing_name", names);
      if (auto address = thing.facts.find("address"); address != thing.facts.end() && address->second.stated) {
        if (!address->second.faq.empty()) {
          say(std::move(m));
          return say_fact(thing, attribute_index("address"));
        }
        if (address->second.text) m += "\n" + text("fact", {{"thing", thing.label.in(lang)}, {"attribute", common_.attributes[attribute_index("address")].label.in(lang)}, {"fact", address->second.text->in(lang)}});
      }
      return say(std::move(m));
    }
    if (a.id == "procedure" && thing.main) return say_steps();
    // "What do I do at the police station?": the step that happens there.
    if (const Node* step = a.id == "procedure" ? step_at(thing) : nullptr)
      return say(text("step_at", {{"thing", thing.label.in(lang)}, {"title", step->text.in(lang)}}) + step_lines(*step));
  }
  if (it != thing.facts.end() && it->second.stated && it->second.text) {
    const Fact& f = it->second;
    // "公函哪天能拿" after the day the papers were handed in: that day's
    // expected date, worked out, not only "3 working days".
    if (asks_when(attribute) && say_own_dates(f.source)) return;
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

std::size_t Turn::attribute_index(const std::string& id) const {
  for (std::size_t i = 0; i < common_.attributes.size(); ++i)
    if (common_.attributes[i].id == id) return i;
  return 0;
}

std::vector<const Node*> Turn::walkthrough_steps() const {
  std::vector<const Node*> steps;
  std::set<std::string> seen{uni_->start};
  std::deque<std::string> queue{uni_->start};
  while (!queue.empty()) {
    auto it = uni_->nodes.find(queue.front());
    queue.pop_front();
    if (it == uni_->nodes.end()) continue;
    if (it->second.kind == Node::Kind::step) steps.push_back(&it->second);
    auto visit = [&](const std::vector<Edge>& edges) {
      for (const auto& e : edges)
        if (seen.insert(e.to).second) queue.push_back(e.to);
    };
    visit(it->second.next);
    for (const auto& o : it->second.options) visit(o.next);
  }
  return steps;
}

// The pages number their steps "Step 2" (CQUPT, NENU) or "Procedure II"
// (HUST); the sources of the walkthrough's steps say which.
namespace {
bool page_numbered(const Node& step) {
  return step.source && (step.source->ref.en.starts_with("Step ") || step.source->ref.en.starts_with("Procedure "));
}
}  // namespace

std::vector<const Node*> Turn::page_steps(int n) const {
  static constexpr const char* kRoman[] = {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"};
  if (n < 1 || n > 10) return {};
  const std::string names[] = {"Step " + std::to_string(n), std::string("Procedure ") + kRoman[n - 1]};
  std::vector<const Node*> steps = walkthrough_steps();
  // A page that numbers no steps (CPU's items): its first step is where
  // the walkthrough starts, when that is a step for everyone.
  const bool numbered = std::any_of(steps.begin(), steps.end(), [](const Node* s) { return page_numbered(*s); });
  if (!numbered) {
    const auto start = uni_->nodes.find(uni_->start);
    if (n == 1 && start != uni_->nodes.end() && start->second.kind == Node::Kind::step) return {&start->second};
    return {};
  }
  std::erase_if(steps, [&](const Node* s) {
    if (!s->source) return true;
    const std::string& ref = s->source->ref.en;
    return std::none_of(std::begin(names), std::end(names), [&](const std::string& name) {
      return ref.starts_with(name) && (ref.size() == name.size() || !std::isalnum(static_cast<unsigned char>(ref[name.size()])));
    });
  });
  return steps;
}

const Node* Turn::step_titled(const Reading& r) const {
  // At least two of the title's words: one ("registration") names half
  // the steps.
  constexpr std::size_t kShared = 2;
  const Node* best = nullptr;
  std::size_t most = kShared - 1;
  for (const Node* step : walkthrough_steps()) {
    auto title = engine_.analyse(step->text.in(lang)).terms;
    std::sort(title.begin(), title.end());
    title.erase(std::unique(title.begin(), title.end()), title.end());
    const std::size_t shared = static_cast<std::size_t>(std::count_if(title.begin(), title.end(), [&](const std::string& t) {
      return t[0] != '~' && t[0] != '^' && std::find(r.analysis.terms.begin(), r.analysis.terms.end(), t) != r.analysis.terms.end();
    }));
    if (shared > most) {
      most = shared;
      best = step;
    }
  }
  return best;
}

void Turn::say_page_step(const Node& step, int n) {
  // (The first step of a page that numbers none is not "step 1 on the page".)
  say(text(page_numbered(step) ? "page_step" : "first_step", {{"n", std::to_string(n)}, {"title", step.text.in(lang)}}) +
      step_lines(step));
  if (!step.thing.empty()) {
    st_.context.thing = step.thing;
    touch_context();
  }
}

void Turn::say_steps() {
  const std::vector<const Node*> steps = walkthrough_steps();
  std::string list;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    list += std::to_string(i + 1) + ". " + steps[i]->text.in(lang);
    if (const Thing* at = steps[i]->thing.empty() ? nullptr : uni_->thing(steps[i]->thing)) list += " (" + at->label.in(lang) + ")";
    list += "\n";
  }
  say(text("steps", {{"steps", list}, {"n", std::to_string(steps.size())}}));
  out_.stated.push_back("steps:" + uni_->id);
}

void Turn::offer(const std::vector<Engine::Match>& options, const char* key, const Fill& values) {
  // (Numbered on from the choices this reply offered already: asked at
  // two universities, the second page's topics follow the first's. An
  // entry of a page other than the student's own names its university.)
  std::string choices;
  const bool own = uni_->id == st_.university;
  for (const auto& option : options) {
    st_.choices.push_back("faq:" + (own ? "" : uni_->id + ":") + option.faq->id);
    choices += std::to_string(st_.choices.size()) + ". " + option.faq->topic.in(lang) + "\n";
  }
  st_.choices.push_back("staff");
  Fill all = values;
  all.emplace_back("choices", choices);
  all.emplace_back("n", std::to_string(st_.choices.size()));
  say(text(key, all));
}

}  // namespace permit::dialogs
