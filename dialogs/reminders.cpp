// The reminders a student's dates set: before each deadline counted from
// them, and before the expiry itself where the page counts nothing from it.
// One effect carries them all (the bot's jobs replace the student's earlier
// ones with it).

#include "dialogs/dates.hpp"
#include "dialogs/turn.hpp"

#include <string>
#include <vector>

namespace permit::dialogs {

std::vector<Effect::Reminder> Turn::reminders(const std::string& kind, Date by, const Fill& values,
                                              const char* key) const {
  std::vector<Effect::Reminder> out;
  for (int days : kReminderDays) {
    Date on = add_days(by, -days);
    if (days_between(today_, on) < 0) continue;  // already past
    Fill with_days = values;
    with_days.emplace_back("days", std::to_string(days));
    out.push_back({iso(on), kind + "-" + std::to_string(days), text(key, with_days)});
  }
  return out;
}

// One effect replaces every reminder of the student's: it carries the
// reminders of every date they gave.
void Turn::schedule_reminders() {
  Effect effect{Effect::Kind::set_deadline, uni_->id, lang_code(lang), "", "", "", {}};
  for (const auto& [kind, iso_date] : st_.dates) {
    const DateKind* k = date_kind(kind);
    const auto date = parse_iso(iso_date);
    if (k == nullptr || !date) continue;
    const std::string noted = fill(k->noted.in(lang), {{"date", iso_date}});
    std::vector<Effect::Reminder> due;
    if (const DatedRule* rule = uni_->rule_for(kind)) {
      const Date by = apply(rule->offset, Moment{*date, std::nullopt}).date;
      due = reminders(kind, by, {{"noted", noted}, {"deadline", iso(by)}, {"to", rule->to.in(lang)}}, "reminder");
      if (kind == "expiry") effect.deadline = iso(by);
    } else if (kind == "expiry") {
      due = reminders(kind, *date, {{"expiry", iso_date}}, "reminder_silent");
    }
    if (kind == "expiry") effect.date = iso_date;
    effect.reminders.insert(effect.reminders.end(), due.begin(), due.end());
  }
  out_.effects.push_back(std::move(effect));
}

}  // namespace permit::dialogs
