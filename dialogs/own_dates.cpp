// The student's own dates, answering questions: which of the dates they
// gave a rule or an expected date of an answer counts from, said with the
// answer ("so when must I apply?" after the expiry), and the close entry
// whose rule counts from one of them preferred for a question of when.

#include "dialogs/closeness.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/turn.hpp"

#include <string_view>

namespace permit::dialogs {

// A rule's source is the entry's, or one of the parts it names: "Notes
// II" of "Procedure VII and Notes II", "Step 2 (Physical Examination),
// item 4" of "...item 4; Step 2 (Immigration Office), ...". Whole parts,
// so "Article 1" is not part of "Article 10".
bool same_source(const Source& rule, const Source& entry) {
  if (rule.seed != entry.seed) return false;
  const std::string_view want = rule.ref.en;
  auto has_part = [&](std::string_view ref, std::string_view sep, auto&& inner) {
    for (std::size_t at = ref.find(sep);; at = ref.find(sep)) {
      if (inner(ref.substr(0, at))) return true;
      if (at == std::string_view::npos) return false;
      ref.remove_prefix(at + sep.size());
    }
  };
  return has_part(entry.ref.en, "; ", [&](std::string_view part) {
    return part == want || has_part(part, " and ", [&](std::string_view p) { return p == want; });
  });
}

const Faq* Turn::entry_of(const DatedRule& rule) const {
  for (const Faq& f : uni_->faq)
    if (f.source && same_source(rule.source, *f.source)) return &f;
  return nullptr;
}

std::vector<std::string> Turn::own_dates_from(const std::optional<Source>& source) const {
  std::vector<std::string> kinds;
  // Only the student's own university's rules count from their dates.
  if (!source || st_.dates.empty() || uni_ == nullptr || uni_->id != st_.university || elsewhere_dates_) return kinds;
  for (const auto& [kind, iso_date] : st_.dates) {
    const DatedRule* rule = uni_->rule_for(kind);
    bool from = rule != nullptr && same_source(rule->source, *source);
    for (const auto& e : uni_->expected) from = from || (e.date == kind && same_source(e.source, *source));
    if (from && date_kind(kind) != nullptr && parse_iso(iso_date)) kinds.push_back(kind);
  }
  return kinds;
}

bool Turn::say_own_dates(const std::optional<Source>& source) {
  const auto kinds = own_dates_from(source);
  for (const auto& kind : kinds) note_date(kind, Moment{*parse_iso(st_.dates.at(kind)), std::nullopt}, nullptr);
  return !kinds.empty();
}

bool Turn::shares_words(const Analysis& question, const Faq& entry) const {
  for (const auto& kind : own_dates_from(entry.source)) {
    const DatedRule* rule = uni_->rule_for(kind);
    if (rule == nullptr) continue;
    const auto to = engine_.analyse(rule->to.in(lang)).terms;
    for (const auto& t : question.terms)
      if (t[0] != '^' && t[0] != '~' && std::find(to.begin(), to.end(), t) != to.end()) return true;
  }
  return false;
}

Understood Turn::by_own_dates(Understood u, const Reading& r) const {
  // "When do I have to change my permit by?" from a student who gave the
  // date they arrived after a transfer: the rule counted from their date,
  // close behind the X1 visa's (a date they did not give), is the answer.
  // (Only a question of when: "how much is the fee?" is not about a date.)
  // (Asked first, by precedence: "when's the deadline to update my
  // address" asks when, not where.)
  const bool when = r.attributes.empty() || asks_when(r.attributes.front());
  // (Nor by a rule about another place, when the question names the place
  // the entry chosen is about: "do i need another medical for this
  // extension?" is the examination's, not the extension's time limit.)
  const bool place_named = r.attributes.empty() && u.kind == Understood::Kind::faq && !u.faq->about.empty() &&
                           std::any_of(r.things.begin(), r.things.end(),
                                       [&](const Thing* t) { return !t->main && t->id == u.faq->about; });
  // So is it when the closest entries are too close to choose ("can I
  // still use that record now?" after the examination's date).
  const bool unsure = u.kind == Understood::Kind::clarify && !u.options.empty();
  if (!when || st_.dates.empty() || !(u.kind == Understood::Kind::faq || unsure)) return u;
  const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
  // "so the copy is due when" from a student who gave the day of handing
  // in and the letter's: of the entries counting from their dates, the one
  // whose rule does what the question names (the copy, from the letter),
  // close behind, rather than the first one's expected letter.
  auto named_rather = [&](const Faq* first) {
    if (shares_words(r.analysis, *first)) return first;
    const Engine::Match* named = close_behind(
        matches,
        [&](const Engine::Match& m) { return !own_dates_from(m.faq->source).empty() && shares_words(r.analysis, *m.faq); },
        kContextEntryClose);
    return named != nullptr ? named->faq : first;
  };
  if (!unsure && !own_dates_from(u.faq->source).empty()) {
    const Faq* named = named_rather(u.faq);
    return named != u.faq ? answered_by(*named, u.asked) : u;
  }
  // (Not when the entry chosen is the rule of an event the question names
  // and the student gave no date of: "我要回国，第一步要干嘛" after the
  // expiry is about leaving, Article 8.)
  const bool rule_named = !unsure && [&] {
    for (const auto& h : engine_.date_words().find(r.analysis)) {
      const std::string& kind = common_.dates[h.id].id;
      if (const DatedRule* rule = uni_->rule_for(kind); rule != nullptr && !st_.dates.contains(kind) && entry_of(*rule) == u.faq)
        return true;
    }
    return false;
  }();
  if (place_named && !unsure &&
      !close_behind(
          matches,
          [&](const Engine::Match& m) { return m.faq->about == u.faq->about && !own_dates_from(m.faq->source).empty(); },
          kContextEntryClose))
    return u;
  if (const Engine::Match* own = close_behind(
          matches, [&](const Engine::Match& m) { return !own_dates_from(m.faq->source).empty(); }, kContextEntryClose);
      own != nullptr && !rule_named && !(place_named && own->faq->about != u.faq->about)) {
    return answered_by(*named_rather(own->faq), u.asked);
  }
  // "how long do i have to change my permit and by when" right after the
  // deadline of a date just given (a transfer arrival): that rule's entry,
  // when the question names what it has done, not an entry whose rule
  // counts from a date never given (a move).
  if (!unsure && own_dates_from(u.faq->source).empty() && !st_.context.faq.empty())
    if (const Faq* last = engine_.faq(uni_->id, st_.context.faq);
        last != nullptr && !own_dates_from(last->source).empty() && shares_words(r.analysis, *last)) {
      u = answered_by(*last, u.asked);
      return u;
    }
  // "我最晚哪天之前要去办变更", a time limit asked with no entry sure, from a
  // student who gave one date a rule here counts from: that rule's entry.
  if (unsure && !r.attributes.empty() && common_.attributes[r.attributes.front()].id == "deadline") {
    const Faq* only = nullptr;
    for (const auto& f : uni_->faq) {
      if (own_dates_from(f.source).empty()) continue;
      if (only != nullptr && own_dates_from(only->source) != own_dates_from(f.source)) return u;  // two dates' rules
      if (only == nullptr) only = &f;
    }
    // (Only when the question names what the rule has done: "最晚哪天之前要
    // 去办变更" and the transfer's "变更手续"; not "最晚什么时候去市民之家"
    // after the letter's date, nor the deadline for paying tuition.)
    if (only != nullptr && shares_words(r.analysis, *only)) {
      u = answered_by(*only, u.asked);
    }
  }
  return u;
}

bool Turn::is_rule_entry(const Faq& faq) const {
  for (const auto& kind : own_dates_from(faq.source))
    if (const DatedRule* rule = uni_->rule_for(kind); rule != nullptr && entry_of(*rule) == &faq) return true;
  for (const auto& e : uni_->expected)
    if (faq.source && same_source(e.source, *faq.source)) return true;
  return false;
}

bool Turn::say_own_dates(const Faq& faq) {
  if (!say_own_dates(faq.source)) return false;
  talked_about(faq);
  return true;
}

// The places a message with one date says it happened at (see
// told_elsewhere).
std::vector<const Thing*> Turn::places_told(const Analysis& a, const std::vector<DateFound>& found) const {
  std::vector<const Thing*> places;
  // (Said as where it happened: "at the citizens home", "在市民之家"; not
  // "when can i collect the letter", the thing the time is for.)
  // (Of a message with one date: with two, "体检是6月30号做的 我1月5号去出入境
  // 交材料", the place is one date's only.)
  if (uni_ != nullptr && found.size() == 1)
    for (const auto& h : engine_.things_in(uni_->id, a)) {
      std::string_view before = std::string_view(a.text).substr(0, h.begin);
      if (before.ends_with("市")) before.remove_suffix(std::string_view("市").size());  // "交到市出入境"
      // (In the date's sentence: "I did my physical exam on 20 June. until
      // when can I use the record at immigration?" tells no place of it.)
      const std::size_t from = std::min(h.begin, found.front().begin), to = std::max(h.end, found.front().end);
      const std::string_view span = std::string_view(a.text).substr(from, to - from);
      if (span.find_first_of(".?!") != std::string_view::npos || span.find("。") != std::string_view::npos ||
          span.find("？") != std::string_view::npos)
        continue;
      const bool where = before.ends_with(" at ") || before.ends_with(" at the ") || before.ends_with(" in the ") ||
                         before.ends_with("在") || before.ends_with("去") ||
                         (before.ends_with("到") && !before.ends_with("拿到") && !before.ends_with("收到") &&
                          !before.ends_with("领到"));
      // (The permit's own office too, "交到出入境" at HUST, whose counted
      // time is window 1's; but not after "在": "在居留许可到期前".)
      const bool office = !before.ends_with("在") || !uni_->things[h.id].main;
      if (where && office) places.push_back(&uni_->things[h.id]);
    }
  return places;
}

const Thing* Turn::told_elsewhere(const std::string& kind, const std::vector<const Thing*>& places) const {
  if (places.empty()) return nullptr;
  for (const auto& e : uni_->expected)
    if (e.date == kind && !e.at.empty() &&
        std::none_of(places.begin(), places.end(), [&](const Thing* t) { return t->id == e.at; }))
      return places.front();
  return nullptr;
}

std::string Turn::expected_from(const std::string& kind, const Moment& moment) {
  std::string ready;
  for (const auto& e : uni_->expected) {
    if (e.date != kind) continue;
    const Moment on = apply(e.offset, moment);
    ready += "\n" + text(e.offset.unit == Offset::Unit::workdays ? "expected_workdays" : "expected",
                         {{"to", e.to.in(lang)}, {"date", iso(on.date)},
                          {"days", std::to_string(days_between(today_, on.date))}, {"source", source_ref(e.source)}});
    out_.stated.push_back("expected:" + kind);
  }
  return ready;
}

bool Turn::say_dates_again(bool ruled_only) {
  bool said = false;
  const auto dates = st_.dates;  // (a copy: note_date writes to them)
  for (const auto& [kind, iso_date] : dates)
    if (date_kind(kind) != nullptr && (!ruled_only || uni_->rule_for(kind) != nullptr))
      if (const auto date = parse_iso(iso_date)) {
        note_date(kind, Moment{*date, std::nullopt}, nullptr);
        said = true;
      }
  return said;
}

}  // namespace permit::dialogs
