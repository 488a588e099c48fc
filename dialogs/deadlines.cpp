// Dates a student gives and the deadline the university's rule sets from
// each. What a date is (the permit's expiry, the day the official letter
// came, a move...) is in date_meaning.cpp; the arithmetic in dates.cpp.

#include "dialogs/closeness.hpp"
#include "dialogs/date_meaning.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace permit::dialogs {
namespace {

// Of the days said alone, the one meant: the last not denied ("it was the
// 9th, not the 8th", "不是3号，是5号").
std::optional<DateFound> said_day(std::string_view text, const std::vector<DateFound>& days) {
  for (auto it = days.rbegin(); it != days.rend(); ++it)
    if (denial_at_end(text.substr(0, it->begin)) == 0) return *it;
  return std::nullopt;
}

bool only_spaces(std::string_view gap) { return gap.find_first_not_of(' ') == std::string_view::npos; }

// The comma-separated clauses of `text` that `keep` takes (given each
// clause's bounds), joined by commas again.
template <typename Keep>
std::string clauses_where(const std::string& text, Keep keep) {
  std::string kept;
  std::size_t from = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ',') continue;
    if (keep(from, i)) kept += (kept.empty() ? "" : ",") + text.substr(from, i - from);
    from = i + 1;
  }
  return kept;
}

}  // namespace

bool Turn::handle_dates(const Analysis& a) {
  const auto date_words = engine_.date_words().find(a);
  auto found = dates_given(a, date_words);
  const auto places = places_told(a, found);
  // "Wait sorry, it was the 9th", "哦不对 是2号": a day alone, right after
  // a date, in a message that says it corrects, or says nothing else, and
  // names no other kind of date, is that date's month.
  const bool no_whole_date = std::none_of(found.begin(), found.end(), [](const DateFound& f) {
    return f.status == DateFound::Status::found || f.status == DateFound::Status::ambiguous;
  });
  // (With no date asked for, the student's only date, when the message
  // says it corrects or denies a day: "不是10号，是14号拿的，那截止哪天"
  // after the letter's 10 December.)
  const std::string corrected = corrected_date();
  std::string correcting;  // what a day said alone corrects, whatever else the message asks
  if (!corrected.empty() && no_whole_date && date_words.empty())
    if (auto last = st_.dates.find(corrected); last != st_.dates.end())
      if (const auto month_of = parse_iso(last->second)) {
        const auto days = find_days_alone(a.text, *month_of);
        if (auto day = said_day(a.text, days)) {
          std::string rest = a.text;
          rest.erase(day->begin, day->end - day->begin);
          const Reading r = read(rest);
          // It corrects when it denies a day ("不是10号，是14号"), or says so
          // and asks nothing but the time limit ("不对，是15号，那最晚哪天"):
          // not "can i go on the 20th or the 21st?", nor "不对，我是想问20号
          // 去办可以吗". An event done when told of is not put after today.
          const bool denies = std::any_of(days.begin(), days.end(), [&](const DateFound& d) {
            return denial_at_end(std::string_view(a.text).substr(0, d.begin)) > 0;
          });
          const bool asks_when_only =
              !r.attributes.empty() && std::all_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t i) {
                return common_.attributes[i].id == "deadline";
              });
          // (Asks by its words: "wait" in "wait sorry, it was the 9th" is no
          // question of how long.)
          const bool questions = asks_by_words(a);
          const bool corrects = denies || (engine_.says(Words::correction, a) && (!questions || asks_when_only));
          const DateKind* k = date_kind(corrected);
          // (Unless the date it corrects was told ahead too.)
          const bool ahead = k != nullptr && k->done_when_told && day->date > today_ && *month_of <= today_;
          if (!ahead && (corrects || (!awaiting_.empty() && !r.asks && r.leftover <= kLeftoverForPointer))) {
            found = {*day};
            if (corrects) correcting = corrected;
          }
        }
      }
  // "ok im at window 1 now, just handed everything in", "刚交了材料": one
  // kind of event told as just done is today's: "just" right before its
  // words, a verb of the past right after "just" ("handed", "got"; "了" or
  // "完" in Chinese), nothing of the future or of time ago ("i just moved a
  // couple weeks ago", "刚搬家一个月了", "i will just hand in everything
  // at once"), and no place after it ("I just arrived at the immigration
  // office" says where the student is). Not an arrival: "我刚转学过来" is
  // recently, not today.
  if (found.empty() && uni_ != nullptr)
    if (const auto kind = one_kind(date_words);
        kind && common_.dates[*kind].done_when_told && common_.dates[*kind].id != "arrival" &&
        engine_.written(Words::future_tense, a).empty() && !engine_.says(Words::time_ago, a)) {
      const auto places = engine_.things_in(uni_->id, a);
      std::optional<std::vector<PhraseIndex::Hit>> past;  // found once, if a just-word needs them
      // The event's own words in the past: "handed", "got"; "交了", "做完".
      auto told_as_past = [&](const PhraseIndex::Hit& h) {
        const std::string_view event = std::string_view(a.text).substr(h.begin, std::min(h.end + 6, a.text.size()) - h.begin);
        if (static_cast<unsigned char>(a.text[h.begin]) >= 0x80)
          return event.find("了") != std::string_view::npos || event.find("完") != std::string_view::npos;
        std::string_view word = std::string_view(a.text).substr(h.begin);
        word = word.substr(0, word.find(' '));
        if (word.ends_with("ed")) return true;
        if (!past) past = engine_.written(Words::past_tense, a);
        return std::any_of(past->begin(), past->end(), [&](const PhraseIndex::Hit& p) { return p.begin == h.begin; });
      };
      std::optional<bool> asks;  // read once, if it comes to that
      for (const auto& just : engine_.words(Words::just_now).find(a)) {
        const bool told = std::any_of(date_words.begin(), date_words.end(), [&](const PhraseIndex::Hit& h) {
          return h.begin >= just.end && only_spaces(std::string_view(a.text).substr(just.end, h.begin - just.end)) &&
                 told_as_past(h) &&
                 std::none_of(places.begin(), places.end(), [&](const PhraseIndex::Hit& t) { return t.begin >= h.end; });
        });
        if (!told) continue;
        // (Asks by its words, not by an attribute's: "材料" in "刚交了材料".)
        if (!asks) asks = asks_by_words(a);
        if (*asks) break;
        DateFound today;
        today.status = DateFound::Status::found;
        today.date = today_;
        today.relative = true;
        today.text = a.text.substr(just.begin, just.end - just.begin);
        today.begin = just.begin;
        today.end = just.end;
        found = {today};
        break;
      }
    }
  if (found.empty()) {
    if (date_words.empty() && says_today_named(a)) return true;
    // "I handed in the paper documents at window 1": one kind of event told
    // without its date; "that was on thursday dec 3" next dates it.
    if (const auto kind = one_kind(date_words); kind && uni_ != nullptr && !read(a).asks) {
      st_.context.awaiting = common_.dates[*kind].id;
      touch_context();
    }
    return false;
  }
  bool handled = false, noted = false, asked = false;
  // No word said what the date is, and the bot did not ask for it: its
  // meaning is the university's only one, assumed.
  const bool assumed = date_words.empty() && awaiting_.empty();
  const std::size_t deadlines_before = out_.stated.size();
  // "一号窗口十二月三十一号开门吗", "is the hospital open on dec 24?": a date
  // no word says the meaning of, in a question of a place's hours, is the
  // day asked about, not a date of the student's; the question is
  // answered, not the date's meaning asked. (Only hours: "护照最早什么时候
  // 能拿回来", "哪天之前" ask what follows from a date.)
  // (A date word inside a place's name says nothing of the date: "体检" in
  // "体检中心12月26号开门吗". Nor does the place just talked about: "is it
  // open on dec 26?" after where the hospital is.)
  auto day_asked_about = [&](const DateFound& f) {
    if (!awaiting_.empty() || f.end > a.text.size()) return false;
    const auto places = engine_.things_in(uni_->id, a);
    const bool told_what = std::any_of(date_words.begin(), date_words.end(), [&](const PhraseIndex::Hit& w) {
      return std::none_of(places.begin(), places.end(),
                          [&](const PhraseIndex::Hit& t) { return t.begin <= w.begin && w.end <= t.end; });
    });
    if (told_what) return false;
    std::string rest = a.text;
    rest.erase(f.begin, f.end - f.begin);
    const Reading r = read(rest);
    return r.asks && asks_by_words(a) && !r.attributes.empty() && r.attributes.front() == attribute_index("hours");
  };
  // "She wants to go to wuhan citizens home on jan 5": a day planned, with
  // a place to go to (read once, and only for a date to come).
  std::optional<bool> planned, loss_told;
  auto plans_to_go = [&] {
    if (!planned) planned = uni_ != nullptr && tells_plan(a) && !engine_.things_in(uni_->id, a).empty();
    return *planned;
  };
  for (const auto& f : found) {
    if (f.status == DateFound::Status::none) continue;
    if (found.size() == 1 && f.status == DateFound::Status::found && uni_ != nullptr && correcting.empty() &&
        day_asked_about(f))
      return false;
    // A date that cannot be read keeps the kind it was given as for the
    // next message, which should hold it whole.
    std::string kind = !correcting.empty() ? correcting : meaning_of(a, f, found);
    if (f.vague) {
      // (A word of its kind other than the part of the month itself: "end"
      // of "end of november" is an expiry's word too.)
      const bool told_what = std::any_of(date_words.begin(), date_words.end(), [&](const PhraseIndex::Hit& h) {
        return common_.dates[h.id].id == kind && (h.end > f.begin || h.end + 4 < f.begin);
      });
      // (Only the expiry, which a deadline counts from: "i did my physical
      // exam late november, how long is it valid?" is answered without the
      // day, as "the semester ends mid january" is.)
      if (kind != "expiry" || !told_what) continue;
    }
    // "我丢的不是护照，是居留许可，12月3日丢的": the day of a loss, which no
    // rule counts from. The loss is answered, the day not asked about.
    // (So is one whose own clause tells a loss and no other kind of date,
    // whatever the rest of the message names: "I lost my residence permit
    // on 2 december. does it matter that it expires soon?")
    if (uni_ != nullptr && awaiting_.empty() && f.date <= today_ && f.end <= a.text.size()) {
      if (!loss_told) {
        const Reading r = read(a);
        loss_told = std::find(r.attributes.begin(), r.attributes.end(), attribute_index("loss")) != r.attributes.end();
      }
      auto in_clause = [&, clause = clause_of(a.text, f)](const PhraseIndex::Hit& h) {
        return h.begin >= clause.first && h.end <= clause.second;
      };
      // (Found only where a loss is told: every dated message passes here.)
      auto loss_here = [&] {
        const auto words = engine_.attribute_words().find(a);
        return std::any_of(words.begin(), words.end(), [&](const PhraseIndex::Hit& h) {
          return h.id == attribute_index("loss") && in_clause(h);
        });
      };
      if (*loss_told && (kind.empty() || (std::none_of(date_words.begin(), date_words.end(), in_clause) && loss_here())))
        continue;
    }
    handled = true;
    // ...but "mine's feb 25" right after a friend's date is the student's
    // own, of the same kind.
    // (Not a day someone plans to go somewhere: "she wants to go to wuhan
    // citizens home on jan 5".)
    const bool plan = f.date >= today_ && plans_to_go();
    if (kind.empty() && awaiting_.starts_with(kOthersDate) && !plan) kind = awaiting_;
    if (kind.starts_with(kOthersDate) && engine_.says(Words::mine, a)) kind.erase(0, kOthersDate.size());
    if (f.status != DateFound::Status::found) {
      const char* key = f.status == DateFound::Status::ambiguous ? "date_ambiguous"
                        : f.status == DateFound::Status::invalid ? "date_invalid"
                                                                 : "date_partial";
      say(text(key, {{"date", f.text}}));
      st_.context.awaiting = kind.empty() ? awaiting_ : kind;
      touch_context();
      continue;
    }
    if (f.year_unclear) {
      const Date next{f.date.year() + std::chrono::years{1}, f.date.month(), f.date.day()};
      say(text("date_year_unclear", {{"written", f.text}, {"past", iso(f.date)}, {"next", next.ok() ? iso(next) : iso(f.date)}}));
      st_.context.awaiting = kind;
      touch_context();
      continue;
    }
    // (A day planned to go, theirs or another's: "她打算12月20号去出入境交
    // 材料,她的体检还有效吗".)
    if ((kind.empty() || f.date >= today_) && say_planned_day(a, f, kind)) continue;
    if (kind.empty() && of_someone_else(a, f)) {
      say(text("others_date_plain", {{"date", iso(f.date)}}));
      continue;
    }
    // "sorry, the 12th" right after "my roommate's expires 2027-03-10": a
    // correction of someone else's date is theirs too.
    if (kind.starts_with(kOthersDate)) {
      say_others_date(kind.substr(kOthersDate.size()), Moment{f.date, find_time_of_day(a.text)});
      continue;
    }
    if (kind.empty()) {
      if (uni_ == nullptr) {
        st_.context.pending_date = iso(f.date);
        touch_context();
        say(text("choose_university", {{"list", university_list()}}));
      } else if (!asked) {
        ask_meaning(f);
        asked = true;
      }
      continue;
    }
    // "I arrived on 1 December" at JSNU, whose arrival rule is for students
    // transferred from another school: an entry on an X1 visa as well, so
    // asked, unless the student says the case or was asked for this date.
    // (Nor a date of a kind the student gave before, its case settled
    // then: "不好意思 是12月1号到的" after the transfer's arrival.)
    if (uni_ != nullptr && kind != awaiting_ && !st_.dates.contains(kind))
      // (Said of themselves: not "not a transfer", nor "我室友是从别的学校转过来的".)
      if (const DatedRule* rule = uni_->rule_for(kind); rule != nullptr && !rule->case_words.empty() &&
                                                        (rule->case_set.empty() || !holds(rule->case_set)) &&
                                                        (!says_case(a.text, rule->case_words) ||
                                                         engine_.says(Words::others, a))) {
        if (!asked) {
          ask_meaning(f);
          asked = true;
        }
        continue;
      }
    if (uni_ == nullptr) {
      st_.dates[kind] = iso(f.date);
      const std::string noted = fill(date_kind(kind)->noted.in(lang), {{"date", iso(f.date)}});
      say(text("date_needs_university", {{"noted", noted}, {"list", university_list()}}));
      continue;
    }
    const auto time = find_time_of_day(a.text);
    // "My friend's permit expires 2027-03-10": someone else's date is not
    // kept nor reminded of; what the rule gives from it is said.
    if (of_someone_else(a, f)) {
      say_others_date(kind, Moment{f.date, time});
      continue;
    }
    // "Going to the police station on dec 14, ok?" after the expiry told: a
    // day planned, checked above if it can be, never the expiry anew unless
    // the words say so.
    const bool kind_named = std::any_of(date_words.begin(), date_words.end(),
                                        [&](const PhraseIndex::Hit& h) { return common_.dates[h.id].id == kind; });
    if (plan && st_.dates.contains(kind) && !kind_named) {
      if (!asked) {
        ask_meaning(f);
        asked = true;
      }
      continue;
    }
    // ("I submitted everything at the citizens home today": HUST's
    // submission is window 1's, whose time is the letter's; this one is
    // not that date, and the page gives no time for it.)
    if (const Thing* there = told_elsewhere(kind, places)) {
      say(text("expected_elsewhere", {{"thing", there->label.in(lang)}}));
      continue;
    }
    note_date(kind, Moment{f.date, time}, &f, assumed);
    noted = true;
  }
  if (noted && !elsewhere_dates_) schedule_reminders();
  if (!handled) return false;
  // "明天要去做体检": the place a date to come was told with is what "打车
  // 过去多少钱" next is about. (Not one done: after "i did my physical exam
  // on november 20", "what documents do i need now" asks about the next
  // place.)
  const bool ahead = std::all_of(found.begin(), found.end(), [&](const DateFound& f) {
    return f.status == DateFound::Status::found && f.date >= today_;
  });
  if (uni_ != nullptr && ahead) {
    const auto named = without_overlaps(engine_.things_in(uni_->id, a));
    // (One place, though named twice: "我12月7号去医院体检".)
    const bool one = !named.empty() && std::all_of(named.begin(), named.end(), [&](const PhraseIndex::Hit& h) {
      return h.id == named.front().id;
    });
    if (one && !uni_->things[named.front().id].main) {
      st_.context.thing = uni_->things[named.front().id].id;
      touch_context();
    }
  }
  const bool deadline_said =
      std::any_of(out_.stated.begin() + static_cast<std::ptrdiff_t>(deadlines_before), out_.stated.end(),
                  [](const std::string& s) { return s.starts_with("deadline:") || s.starts_with("expected:"); });
  // "If I hand in my papers on 7 December, when can I pick up the
  // letter?": a date that sets no deadline here is context, and the
  // question is answered without it.
  if (uni_ != nullptr && noted && !asked && !deadline_said) {
    std::string rest = a.text;
    for (auto f = found.rbegin(); f != found.rend(); ++f)
      if (f->status != DateFound::Status::none && f->end <= rest.size()) rest.erase(f->begin, f->end - f->begin);
    // "我的居留许可1月10日到期,学期注册要在寒假前弄好吗": the clause that
    // told the date is said; the question is the other clauses (what else
    // the student told stays: "..., my passport changed, what do I upload?").
    const std::string others = clauses_where(a.text, [&](std::size_t from, std::size_t to) {
      return std::none_of(found.begin(), found.end(), [&](const DateFound& f) {
        return f.status != DateFound::Status::none && f.begin < to && from < f.end;
      });
    });
    // (Not when they say nothing of their own: "...,可以吗".)
    if (!others.empty()) {
      const Reading own = read(others);
      if (own.asks && (own.leftover > 0 || !own.attributes.empty() || !own.things.empty())) rest = others;
    }
    const Reading r = read(rest);
    if (r.asks && !r.analysis.terms.empty()) answer_question(r.analysis, rest);
    return true;
  }
  // "My permit expires on 1 March, where do I apply?": a question beside
  // the date that is not about its deadline is answered too.
  if (uni_ != nullptr) {
    std::vector<std::string> asked_parts;
    for (const auto& part : split_question(engine_, a)) {
      // (A part that told a date, written or said from today: "landed
      // last sunday, when is the deadline" is that date's.)
      const bool told_here = std::any_of(found.begin(), found.end(), [&](const DateFound& f) {
        return f.status != DateFound::Status::none && !f.text.empty() && part.find(f.text) != std::string::npos;
      });
      if (told_here || !find_dates(part, today_).empty()) continue;
      const Analysis pa = engine_.analyse(part);
      if (!engine_.date_words().find(pa).empty() || engine_.attribute_words().find(pa).empty()) continue;
      asked_parts.push_back(part);
    }
    // "我明天去做体检,身上只有支付宝,能交体检费吗": the clauses without the
    // date, when they ask something else of its event (a way to pay, not
    // a deadline), are a question of their own.
    if (asked_parts.empty()) {
      const std::size_t deadline = attribute_index("deadline"), duration = attribute_index("duration");
      const std::string rest = clauses_where(a.text, [&](std::size_t from, std::size_t to) {
        const std::string_view clause = std::string_view(a.text).substr(from, to - from);
        return find_dates(clause, today_).empty() && find_relative_dates(clause, today_).empty();
      });
      const Reading rr = read(rest);
      const bool other = std::any_of(rr.attributes.begin(), rr.attributes.end(),
                                     [&](std::size_t at) { return at != deadline && at != duration; });
      // "明天早上去体检,可以先吃早饭吗": no attribute, but words an entry
      // answers with confidence (whether to fast), and none it does not
      // know ("可以打工吗" is not about the permit's processing time).
      // (Not beside a date only asked about: "my permit expired early
      // november, what happens?" is about its lateness, said once the day is.)
      const bool part_of_month = std::any_of(found.begin(), found.end(), [](const DateFound& f) { return f.vague; });
      const bool answered = !part_of_month && rr.asks && rr.attributes.empty() && rr.leftover > 0 && rr.unknown == 0 &&
                            rank(rr).kind == Understood::Kind::faq;
      if (((rr.asks && other) || answered) && rest != a.text) asked_parts.push_back(rest);
    }
    // ("my permit expired on nov 20, what is the fine": what the page says
    // of lateness was said with the deadline; the penalty asked is that,
    // not another entry's fine, such as illegal work's.)
    const bool lateness_said = std::any_of(out_.stated.begin(), out_.stated.end(),
                                           [](const std::string& s) { return s.starts_with("lateness:"); });
    for (const auto& part : asked_parts) {
      const Reading pr = read(part);
      const bool penalty_only = !pr.attributes.empty() && std::all_of(pr.attributes.begin(), pr.attributes.end(), [&](std::size_t at) {
        return common_.attributes[at].id == "penalty";
      });
      // (Only a bare "what is the fine": "whats the fine for illegal work"
      // asks another.)
      if (lateness_said && penalty_only && pr.things.empty() && pr.leftover <= kLeftoverForPointer) continue;
      answer_question(part);
    }
  }
  return true;
}

void Turn::note_date(const std::string& kind, Moment moment, const DateFound* as_written, bool assumed) {
  const DateKind* k = date_kind(kind);
  const std::string date = iso(moment.date);
  std::string m;
  if (as_written != nullptr && !as_written->year_given)
    m = text("date_year_assumed", {{"written", as_written->text}, {"date", date}}) + "\n";
  if (kind == "expiry" && days_between(today_, moment.date) < 0) {
    // A bare past date is most likely a slip; "my visa expired on 20
    // November" is a student staying past it, who needs to hear so.
    if (assumed) {
      st_.context.awaiting = "expiry";
      touch_context();
      return say(m + text("date_past", {{"date", date}}));
    }
    m += text("expiry_passed", {{"date", date}, {"days", std::to_string(days_between(moment.date, today_))}});
  }
  if (!elsewhere_dates_) {
    st_.dates[kind] = date;
    // "Sorry, it is 2027-03-02": a date right after is a correction of this one.
    st_.context.awaiting = kind;
    touch_context();
  }
  // "Your permit expires on ..." after "it expired ... days ago" says it twice.
  const bool expired = kind == "expiry" && days_between(today_, moment.date) < 0;
  const std::string noted = expired ? "" : fill(k->noted.in(lang), {{"date", date}});
  const DatedRule* rule = uni_->rule_for(kind);
  if (rule == nullptr && expired) return say(std::move(m));
  if (expired) m += "\n";
  // "You hand in your application on 7 December. Your permit is normally
  // ready 15 workdays after, around 2026-12-28."
  const std::string ready = expected_from(kind, moment);
  if (rule == nullptr && !ready.empty()) return say(m + noted + ready);
  if (rule == nullptr) {
    // The page sets nothing counted from this date; the expiry itself
    // still gets reminders.
    m += k->silent ? text(*k->silent, {{"date", date}}) : text("deadline_none", {{"noted", noted}});
    if (kind == "expiry" && !elsewhere_dates_ &&
        days_between(today_, add_days(moment.date, -kReminderDays[std::size(kReminderDays) - 1])) >= 0)
      m += "\n" + text("reminders_set");
    return say(std::move(m));
  }
  const Moment by = apply(rule->offset, moment);
  const int days = days_between(today_, by.date);
  std::string deadline = iso(by);
  if (rule->offset.unit == Offset::Unit::hours && !moment.time) deadline += text("deadline_same_time");
  Fill values = {{"noted", noted},          {"deadline", deadline}, {"days", std::to_string(days)},
                 {"to", rule->to.in(lang)}, {"source", source_ref(rule->source)}};
  std::string said = text(days >= 0 ? "deadline" : "deadline_passed", values);
  said.erase(0, said.find_first_not_of(' '));  // without {noted}
  m += said;
  if (rule->only) m += "\n" + text("deadline_only", {{"only", rule->only->in(lang)}});
  if (rule->passed && days < 0) m += "\n" + rule->passed->in(lang);
  if (rule->lateness) {
    m += "\n" + text("deadline_lateness", {{"lateness", rule->lateness->in(lang)}, {"source", source_ref(*rule->lateness_source)}});
    out_.stated.push_back("lateness:" + kind);
  }
  if (days >= kReminderDays[std::size(kReminderDays) - 1] && !elsewhere_dates_) m += "\n" + text("reminders_set");
  out_.stated.push_back("deadline:" + kind);
  // "how long do i have to change my permit and by when" next is about
  // this rule: its entry is the answer just given.
  // (Only an entry of exactly the rule's source: NENU's examination rule,
  // "Step 2 (Immigration Office), documents required", is one part of the
  // on-campus registration entry's too.)
  if (!elsewhere_dates_)
    for (const auto& f : uni_->faq)
      if (f.source && f.source->seed == rule->source.seed && f.source->ref.en == rule->source.ref.en) {
        st_.context.faq = f.id;
        touch_context();
        break;
      }
  say(m + ready);
}

}  // namespace permit::dialogs
