// Permit expiry dates in the conversation: reading them, and the deadline
// by the university's own rule.

#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {
namespace {

std::optional<Date> parse_iso(const std::string& iso_date) {
  auto found = find_date(iso_date);
  if (found.status != DateFound::Status::found) return std::nullopt;
  return found.date;
}

}  // namespace

bool Turn::handle_date(const std::string& raw) {
  auto found = find_date(raw);
  switch (found.status) {
    case DateFound::Status::none: {
      // "My permit expires on the 30th": an expiry with a number, but no
      // date that can be read. Ask rather than guess.
      const std::string norm = normalise(raw);
      const bool has_digit = std::any_of(norm.begin(), norm.end(), [](char c) { return c >= '0' && c <= '9'; });
      const auto& words = common_.commands.at("expiry_words");
      const bool about_expiry =
          std::any_of(words.begin(), words.end(), [&](const std::string& w) { return norm.find(w) != std::string::npos; });
      if (!has_digit || !about_expiry) return false;
      say(text("date_unreadable"));
      return true;
    }
    case DateFound::Status::ambiguous:
      say(text("date_ambiguous", {{"date", found.text}}));
      return true;
    case DateFound::Status::invalid:
      say(text("date_invalid", {{"date", found.text}}));
      return true;
    case DateFound::Status::found:
      break;
  }
  if (days_between(today_, found.date) < 0) {
    say(text("date_past", {{"date", iso(found.date)}}));
    return true;
  }
  st_.expiry = iso(found.date);
  if (uni_ == nullptr) {
    say(text("date_needs_university", {{"expiry", st_.expiry}, {"list", university_list()}}));
    return true;
  }
  give_deadline();
  return true;
}

// Reminders go out this many days before the date that matters (the
// latest date to apply, or the expiry where the page sets no deadline).
constexpr int kReminderDays[] = {30, 14, 7, 1};

std::vector<Effect::Reminder> Turn::reminders(Date by, const Fill& values, const char* key) const {
  std::vector<Effect::Reminder> out;
  for (int days : kReminderDays) {
    Date on = add_days(by, -days);
    if (days_between(today_, on) < 0) continue;  // already past
    Fill with_days = values;
    with_days.emplace_back("days", std::to_string(days));
    out.push_back({iso(on), text(key, with_days)});
  }
  return out;
}

void Turn::give_deadline() {
  auto expiry = parse_iso(st_.expiry);
  if (!expiry) return;
  if (!uni_->deadline) {
    Effect effect{Effect::Kind::set_deadline, uni_->id, lang_code(lang), "", st_.expiry, "", {}};
    effect.reminders = reminders(*expiry, {{"expiry", st_.expiry}}, "reminder_silent");
    const bool any = !effect.reminders.empty();
    out_.effects.push_back(std::move(effect));
    return say(text("deadline_silent", {{"expiry", st_.expiry}}) + (any ? "\n" + text("reminders_set") : ""));
  }
  const auto& d = *uni_->deadline;
  Date latest = apply(d.rule, *expiry);
  const int days = days_between(today_, latest);
  Fill values = {{"expiry", st_.expiry}, {"deadline", iso(latest)}, {"days", std::to_string(days)},
                 {"to", d.to.in(lang)}, {"source", source_ref(d.source)}};
  Effect effect{Effect::Kind::set_deadline, uni_->id, lang_code(lang), "", st_.expiry, iso(latest), {}};
  effect.reminders = reminders(latest, {{"expiry", st_.expiry}, {"deadline", iso(latest)}, {"to", d.to.in(lang)}},
                               "reminder");
  out_.effects.push_back(std::move(effect));
  std::string message = text(days >= 0 ? "deadline" : "deadline_passed", values);
  if (d.lateness) {
    message += "\n" + text("deadline_lateness", {{"lateness", d.lateness->in(lang)},
                                                 {"source", source_ref(*d.lateness_source)}});
  }
  if (days >= 0) message += "\n" + text("reminders_set");
  say(std::move(message));
}

}  // namespace permit::dialogs
