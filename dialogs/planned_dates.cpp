// A day the student plans to go somewhere ("going to immigration on dec
// 14, still ok?", "我打算12月14号去出入境 来得及吗"): checked against the
// deadlines their own dates set for what is done there, rather than asked
// what kind of date it is.

#include "dialogs/dates.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <map>

namespace permit::dialogs {

bool Turn::say_planned_day(const Analysis& a, const DateFound& day) {
  if (uni_ == nullptr || uni_->id != st_.university || elsewhere_dates_ || day.date < today_) return false;
  if (!engine_.says(Words::going, a) && !engine_.says(Words::future_tense, a)) return false;
  const auto places = engine_.things_in(uni_->id, a);
  if (places.empty()) return false;
  // Whose day: someone else's is checked against their date just told.
  std::map<std::string, std::string> dates = st_.dates;
  if (of_someone_else(a, day)) {
    const std::size_t space = st_.context.others.find(' ');
    if (space == std::string::npos) return false;
    dates = {{st_.context.others.substr(0, space), st_.context.others.substr(space + 1)}};
  }
  bool said = false;
  for (const auto& [kind, iso_date] : dates) {
    const DatedRule* rule = uni_->rule_for(kind);
    const auto from = parse_iso(iso_date);
    if (rule == nullptr || !from) continue;
    // (Only a rule of what is done at the place named: the examination
    // record is handed in at the Immigration Office, not at the hospital.)
    // (The place named after "at" in the rule: "hand in your Physical
    // Examination Record at the Immigration Office".)
    const Analysis to = engine_.analyse(rule->to.in(Lang::en));
    const auto named = engine_.things_in(uni_->id, to);
    const bool there = std::any_of(places.begin(), places.end(), [&](const PhraseIndex::Hit& p) {
      return std::any_of(named.begin(), named.end(), [&](const PhraseIndex::Hit& d) {
        const std::string_view before = std::string_view(to.text).substr(0, d.begin);
        return d.id == p.id && (before.ends_with("at the ") || before.ends_with("at "));
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
