// A day the student plans to go somewhere ("going to immigration on dec
// 14, still ok?", "我打算12月14号去出入境 来得及吗"): checked against the
// deadlines their own dates set for what is done there, rather than asked
// what kind of date it is, or taken for a new date of that kind.

#include "dialogs/date_meaning.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <map>

namespace permit::dialogs {

bool Turn::tells_plan(const Analysis& a) const {
  return engine_.says(Words::going, a) || engine_.says(Words::future_tense, a) || engine_.says(Words::condition, a);
}

bool Turn::say_planned_day(const Analysis& a, const DateFound& day, const std::string& kind_said) {
  if (uni_ == nullptr || uni_->id != st_.university || elsewhere_dates_ || day.date < today_) return false;
  // "is mine still valid on jan 10": a day asked of what the student's own
  // dates keep valid, every rule counted from them.
  const bool asks_valid = dialogs::asks_valid(a.text);
  // ("my visa expires feb 10, can i apply on jan 20": handing in on a day
  // to come, asked of.)
  // (Not with another question beside it, which the date answers: "can i
  // apply on 2027-01-20, how long does it take".)
  const bool asks_to_hand_in = kind_said == "submitted" && asks_by_words(a) && [&] {
    std::string rest = a.text;
    if (day.end <= rest.size()) rest.erase(day.begin, day.end - day.begin);
    const auto asked = read(rest).attributes;
    return std::find(asked.begin(), asked.end(), attribute_index("duration")) == asked.end();
  }();
  if (!tells_plan(a) && !asks_valid && !asks_to_hand_in) return false;
  // "is my visa still valid on jan 8": the permit's own validity, by the
  // expiry the student gave.
  if (asks_valid && kind_said.empty() && !of_someone_else(a, day))
    if (const auto expiry = parse_iso(st_.expiry()); expiry && uni_ != nullptr) {
      const std::string_view t = a.text;
      const bool of_the_permit = t.find("permit") != std::string_view::npos || t.find("visa") != std::string_view::npos ||
                                 t.find("居留") != std::string_view::npos || t.find("签证") != std::string_view::npos;
      if (of_the_permit) {
        say(text(day.date <= *expiry ? "valid_until" : "invalid_after", {{"date", iso(day.date)}, {"expiry", iso(*expiry)}}));
        return true;
      }
    }
  // (Not a correction: "sorry, I moved on 2026-11-21" is the move's day.)
  if (engine_.says(Words::correction, a) || engine_.says(Words::apology, a) || engine_.says(Words::meant, a))
    return false;
  const auto places = engine_.things_in(uni_->id, a);
  // Whose day: someone else's is checked against their date just told.
  std::map<std::string, std::string> dates = st_.dates;
  if (of_someone_else(a, day)) {
    const auto others = others_told();
    if (!others) return false;
    dates = {{others->kind, iso(others->date)}};
  }
  // With no place named, only the event of a date already gone ("moved on
  // dec 4", then "going to register on dec 6, ok?"): a day to come is no
  // new date of it.
  // (Not the event itself told again: "i'm going to move again on dec 20"
  // is a new move.)
  const auto gone = dates.find(kind_said);
  const auto kind_words = engine_.date_words().find(a);
  const bool event_named = std::any_of(kind_words.begin(), kind_words.end(),
                                       [&](const PhraseIndex::Hit& h) { return common_.dates[h.id].id == kind_said; });
  const auto gone_on = gone != dates.end() ? parse_iso(gone->second) : std::nullopt;
  const bool of_a_gone_event = !event_named && gone_on && *gone_on < today_;
  // "so is mine still ok if i apply on 10 january": handing in the
  // application is done at the permit's own office; so is going there
  // with no place named, when the day is of no rule here ("i was planning
  // to go on feb 5 after the exams" at CQUPT, whose page has no exam).
  const bool hands_in = places.empty() && (kind_said == "submitted" || (engine_.says(Words::going, a) &&
                                                                        uni_->rule_for(kind_said) == nullptr));
  if (places.empty() && !of_a_gone_event && !hands_in && !asks_valid) return false;
  bool said = false;
  for (const auto& [kind, iso_date] : dates) {
    const DatedRule* rule = uni_->rule_for(kind);
    const auto from = parse_iso(iso_date);
    if (rule == nullptr || !from) continue;
    // Only a rule of what is done at the place named: the place the rule
    // names after "at" or "to" ("hand in your Physical Examination Record
    // at the Immigration Office", not the hospital); the permit's own
    // office for a rule that names none or names it (CQUPT: "apply for the
    // extension").
    const Analysis to = engine_.analyse(rule->to.in(Lang::en));
    const auto named = engine_.things_in(uni_->id, to);
    const bool at_office = named.empty() || std::any_of(named.begin(), named.end(), [&](const PhraseIndex::Hit& d) {
      return uni_->things[d.id].main;
    });
    // (A day asked "valid" is of what stays valid from a date done, the
    // examination's record; "is my permit still valid on dec 20" asks no
    // time limit to apply.)
    const DateKind* counted_from = date_kind(kind);
    const bool there =
        asks_valid ? kind != kind_said && counted_from != nullptr && counted_from->done_when_told
        : hands_in                   ? kind != kind_said && at_office
        : places.empty() ? kind == kind_said : std::any_of(places.begin(), places.end(), [&](const PhraseIndex::Hit& p) {
          if (named.empty()) return uni_->things[p.id].main;
          return std::any_of(named.begin(), named.end(), [&](const PhraseIndex::Hit& d) {
            const std::string_view before = std::string_view(to.text).substr(0, d.begin);
            return d.id == p.id && (uni_->things[d.id].main || before.ends_with("at the ") || before.ends_with("at ") ||
                                    before.ends_with("to the ") || before.ends_with("to "));
          });
        });
    if (!there) continue;
    const Moment by = apply(rule->offset, Moment{*from, std::nullopt});
    const bool in_time = day.date <= by.date;
    std::string m = text(in_time ? "plan_in_time" : "plan_late", {{"date", iso(day.date)},
                                                                  {"deadline", iso(by)},
                                                                  {"to", rule->to.in(lang)},
                                                                  {"source", source_ref(rule->source)}});
    if (!in_time && rule->passed) m += "\n" + rule->passed->in(lang);
    say(std::move(m));
    said = true;
  }
  return said;
}

}  // namespace permit::dialogs
