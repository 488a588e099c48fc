#pragma once

// Internal to the engine: one message being answered.

#include "dialogs/dates.hpp"
#include "dialogs/engine.hpp"
#include "dialogs/permit_length.hpp"
#include "dialogs/student_state.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace permit::dialogs {

using Fill = std::vector<std::pair<std::string, std::string>>;

// own_dates.cpp: whether `part` is the source `whole` cites, or one of the
// parts it names ("Notes II" of "Procedure VII and Notes II"; "Article 1"
// is not part of "Article 10").
bool same_source(const Source& part, const Source& whole);
// Whether two sources cite the same item of the same page, as written.
inline bool cites_alike(const Source& a, const Source& b) { return a.seed == b.seed && a.ref.en == b.ref.en; }

// The most of a question sent before a university is picked that is kept
// to answer after the pick.
constexpr std::size_t kMaxDeferredQuestion = 500;

// Replaces each {name} in a template.
std::string fill(std::string_view pattern, const Fill& values);

// One part of a question, as the engine understood it.
struct Reading {
  Analysis analysis;
  std::vector<std::size_t> attributes;  // indexes into Common::attributes, by precedence
  std::vector<const Thing*> things;     // the things it names, the one it asks about first
  bool refers_back = false;             // "it", "there", "那里": about the thing last talked about
  bool asks_next = false;               // "what next", "下一步": the step after a thing
  bool asks = false;                    // it asks something: an interrogative, an attribute
  int leftover = 0;                     // words that say something beyond the attributes and things
  std::vector<std::string> leftover_stems;  // ...those of them in Latin letters, as stems
  std::optional<Date> day;              // a day asked whether to go on ("can i go tomorrow?"): its hours
  int unknown = 0;                      // of those, English words no entry of the university holds
  int step = 0;                         // "step 3", "第三步": a step by the page's numbering
  bool tells_done = false;              // "got the form", "拿到了": progress told
  std::vector<const Thing*> done;       // ...and of the things named, those told as done
  bool amount = false;                  // "罚多少钱": the fine's amount asked (no fee)
  const Thing* here = nullptr;          // "i'm at the immigration office": where the student is now
  const Thing* within = nullptr;        // "where do i hand in my docs at the immigration office": inside it
  std::string pointed_as;               // "that office": the word naming what is pointed at, if a thing's name holds it

  // Nothing named but the permit itself (its office, where that is the
  // permit's thing): "for my first residence permit" names no place.
  bool only_the_permit() const {
    return std::all_of(things.begin(), things.end(), [](const Thing* t) { return t->main; });
  }
};

// What the engine makes of a part: an answer, a question back, or nothing.
struct Understood {
  enum class Kind { fact, faq, next_step, page_step, which_thing, clarify, none };
  Kind kind = Kind::none;
  const Thing* thing = nullptr;  // fact: whose; faq: what it is about, if anything; next_step: after what
  std::size_t attribute = 0;     // fact, which_thing; page_step: the number
  std::optional<std::size_t> also;  // fact: a second attribute asked about the same thing
  const Faq* faq = nullptr;  // faq: the entry; fact: an entry said after the fact, if one
  std::vector<Engine::Match> options;  // clarify, none: the closest topics
  std::optional<std::size_t> asked;    // faq: the attribute the question asked about, if one
  std::vector<const Node*> steps;      // page_step: the walkthrough's steps the page numbers so
  std::string unmentioned;             // another university's thing this page never mentions
  bool amount = false;                 // the amount of a fine asked (Reading::amount)
};

// Whether `u` is an answer (a fact, an entry, a step, a question of which
// thing), not topics offered or nothing.
inline bool answers(const Understood& u) {
  const auto k = u.kind;
  return k == Understood::Kind::fact || k == Understood::Kind::faq || k == Understood::Kind::next_step ||
         k == Understood::Kind::page_step || k == Understood::Kind::which_thing;
}

// The universities a message names (Turn::names_in).
// Reminders go out this many days before the date that matters (the
// latest date of a rule, or the expiry where the page sets no deadline).
inline constexpr int kReminderDays[] = {30, 14, 7, 1};

struct UniversityNames {
  struct Found {
    const University* university = nullptr;
    std::size_t named = 0;  // the longest alias naming it as the student's; 0: none
    std::size_t left = 0;   // ...only after "from"
    std::size_t at = 0;     // where that alias is
    bool own = false;       // said as the student's own: "im at NENU", "我在东北师大"
  };
  std::vector<Found> found;  // every university whose name occurs, denied ones too
  std::string rest;          // the message without any of their names
  // The student's, in the order named ("NENU and CQUPT").
  std::vector<const University*> named() const;
  // The one meant: the longest name; one left ("from HUST") only alone,
  // and only by a student with no university yet.
  const University* chosen(bool has_university) const;
};

class Turn {
 public:
  // The student's university and reply language come from the state; a
  // university no script knows any more is forgotten.
  Turn(const Engine& engine, StudentState& state, Outcome& out, std::chrono::system_clock::time_point now);

  void handle_text(const std::string& raw);
  void handle_voice(const std::string& recognition);
  void welcome();
  void unsupported();
  std::string reply() const;  // the parts said, one message
  Lang language() const { return lang; }
  // At the end of the turn: the thing talked about at its start, if another
  // is talked about now, is kept as the one before ("that office" next).
  void end_turn();
  // On a walkthrough node that is not its end.
  bool in_walkthrough() const;

 private:
  // conversation.cpp: commands, choices, the order things are tried in
  bool command(const std::string& norm, const char* name) const;
  bool starts_with_command(const std::string& norm, const char* name, std::string& rest) const;
  // What a message asks after a command set before it ("start over -
  // where is...": "where is..."); empty when it does not start so.
  std::string after_command(const std::string& norm) const;
  // (The same text twice in one reply is said once: two attributes, or two
  // parts of a question, may be answered by one entry: "where is nan shan
  // police station and what documents do i bring" at CQUPT, whose Step 1
  // gives both.) Nor a long text said already inside a longer one: a
  // date's rule said with "I read "nov 20" as ..." first, then again for
  // the question beside the date.
  void say(std::string text) {
    constexpr std::size_t kLongText = 40;
    const bool said = std::any_of(parts_.begin(), parts_.end(), [&](const std::string& p) {
      return p == text || (text.size() >= kLongText && p.find(text) != std::string::npos);
    });
    if (!said) parts_.push_back(std::move(text));
  }
  // A common text, or a script's, with the university's names filled in.
  std::string text(const std::string& key, const Fill& values = {}) const;
  std::string text(const Text& pattern, const Fill& values) const;
  void choose(int number);
  void menu();
  std::string source_ref(const Source& s) const;   // "JSNU regulation, Article 9"
  std::string source_line(const Source& s) const;  // "Source: JSNU regulation, Article 9"
  void clear_context() { st_.context = {}; }
  // What was just talked about (thing, entry, attribute) is forgotten: it
  // belonged to another university's page.
  void forget_topic() {
    st_.context.thing.clear();
    st_.context.faq.clear();
    st_.context.attribute.clear();
    st_.context.asked.clear();
  }
  void touch_context() { st_.context.at = minutes_; }

  // universities.cpp
  std::string university_list();
  UniversityNames names_in(const std::string& norm) const;
  // A question about another university ("how much is it at HUST?"), answered
  // from its page without switching.
  void answer_elsewhere(const University& named, const Analysis& question, const std::string& raw);
  [[nodiscard]] bool dated_elsewhere(const Analysis& analysis);
  bool dates_clear(const Analysis& analysis, const std::vector<DateFound>& dates) const;
  void answer_at_each(const std::vector<const University*>& named, const std::string& question, const std::string& raw,
                      const std::string& asked_before = "");
  void pick_university(const University& u);
  std::string last_answered(const std::string& university) const;
  // What last_answered gave, read back: "cqupt:faq:when_apply" (marked
  // kElsewhere or not) as its university, its kind and its id.
  struct Answered {
    std::string university, kind, id;
  };
  std::optional<Answered> answered_before() const;
  static std::optional<Answered> parse_answered(std::string_view before);
  // The entry a dated rule is the page's part of ("Article 6": JSNU's
  // transfer entry); nullptr for none (own_dates.cpp).
  const Faq* entry_of(const DatedRule& rule) const;
  // Whether `faq` is the entry of a rule (or an expected time) that counts
  // from one of the student's dates, rather than another part of its article.
  bool is_rule_entry(const Faq& faq) const;
  std::string strip_filler(const std::string& text) const;
  // Whether a city the message names is inside a date's word ("上周六到的
  // 徐州": where the student arrived), so stays in the text.
  bool city_in_date_word(const Analysis& a, const UniversityNames& names) const;

  // reading.cpp
  Reading read(const std::string& part) const;
  Reading read(Analysis analysis) const;
  Reading read_after(const Reading& r, const Faq& last) const;

  // answers.cpp
  void answer_question(const std::string& raw);
  void answer_question(const Analysis& message, const std::string& raw);
  bool asks_it_again(const std::string& rest) const;
  // Whether a message asks by its words ('?', "what", "吗"), not only by an
  // attribute's word ("wait", "材料").
  bool asks_by_words(const Analysis& a) const;
  // The permit length a message tells: after the last word that corrects
  // ("it's 2 years, sorry i mean 6 months"), else not one it denies.
  std::optional<PermitLength> told_length(const Analysis& a) const;
  // The message without the place it says the student left ("moved out
  // of the dorm", "从宿舍搬出"): places_left.cpp.
  Analysis without_places_left(Analysis a) const;
  std::optional<std::string> asked_before(const Analysis& message, const std::string& raw) const;
  // `lost`: an earlier part of the message was not understood, so "it"
  // in this one has nothing known to refer to.
  Understood understand(const Reading& r, const Thing* context, bool lost = false) const;
  // Of the entries the last reply offered, the one that gives `attribute`
  // (none, or two: null).
  const Faq* offered_giving(std::size_t attribute) const;
  // Read with the answer just given (which does not give `attribute`), the
  // close entry that does, other than that answer; null if none.
  const Faq* close_entry_giving(const Reading& r, const Faq& last, std::size_t attribute) const;
  // walkthrough.cpp: a step not the last follows the thing's step; every
  // step of the thing is the last, and the answer just given is its.
  // Of the things a student says are done, the one whose step comes last
  // in the guide (nullptr: none has a step).
  const Thing* last_done(const std::vector<const Thing*>& things) const;
  // The last thing done, when a message only tells progress (nullptr: not so).
  const Thing* progress_told(const Reading& r) const;
  // Whether step `to` can be reached from step `from` along the guide.
  bool reaches(const Node& from, const Node& to) const;
  bool step_follows(const Thing& t) const;
  bool last_step_answered(const Thing& t) const;
  // `faq` is another thing's own answer for `attribute` (its address...).
  bool is_fact_of_another(const Faq& faq, const Thing& thing, std::size_t attribute) const;
  // `faq`, chosen for `attribute` of `thing`, answers it for another place
  // the student did not name: the thing's own fact answers instead.
  bool answered_by_another_place(const Faq& faq, const Thing& thing, std::size_t attribute, const Reading& r) const;
  // `faq` gives `attribute` of the permit itself: it is the permit's own
  // answer for it (JSNU's one month ahead is; the ten days after a transfer
  // are not), or the attribute is one only entries give (a loss).
  bool is_permit_fact(const Faq& faq, std::size_t attribute) const;
  // The question read as about the process: progress, the next step, a
  // numbered step (step_questions.cpp); nothing when it is not.
  std::optional<Understood> about_steps(const Reading& r, const Thing* context, bool lost) const;
  // The question read with the statement the last reply could not place,
  // when that reading answers it better; nullopt otherwise.
  std::optional<Reading> with_statement(const Reading& question, const Thing* context, bool lost) const;
  Understood interpret(const Reading& r, const Thing* context, bool lost) const;
  // thing_attribute.cpp: an attribute asked of one thing, named or pointed
  // at; `r` asks at least one attribute (the first is what is asked).
  Understood of_thing(const Reading& r, const Thing* thing, bool lost) const;
  Understood fact_of(const Thing* t, const Reading& r) const;
  bool agrees_with(const Understood& ranked, const Thing& t, std::size_t asked) const;
  const Faq* topic_without_attribute(const Reading& r, const Understood& ranked, std::size_t asked) const;
  bool names_topic(const Analysis& question, const Faq& entry) const;
  // inside_place.cpp: the entry on what is done inside a place, where
  // that is what is asked (`thing`: the thing the question is about).
  std::optional<Understood> inside_place(const Reading& r, std::size_t asked, const Thing* thing) const;
  // Whether the entry last answered with gives `attribute`.
  bool last_answer_gives(std::size_t attribute) const;
  // Whether the fee asked is asked only by an amount's words ("how much",
  // "多少钱"), no word that names a fee ("application fee", "申请费").
  bool only_amount_asked(const Analysis& a) const;
  Understood about_last_answer(Understood u, const Reading& r) const;
  const Faq* topic_kept(const Understood& u, const Reading& r) const;
  Understood giving(Understood u, const Reading& r) const;
  Understood rank(const Reading& r) const;
  Understood rank_about(const Reading& r, const Thing* pointed = nullptr) const;
  // `level_is_unsure`: a sure entry nearly level with the next is offered,
  // not answered (Engine::kSureLead).
  Understood decide(std::vector<Engine::Match> matches, bool level_is_unsure = true) const;
  // The entry as the answer, about the thing it is about; and as the answer
  // to `asked`, the attribute the question asked (kept for the reply).
  Understood answered_by(const Faq& faq) const;
  Understood answered_by(const Faq& faq, std::optional<std::size_t> asked) const {
    Understood u = answered_by(faq);
    u.asked = asked;
    return u;
  }
  void say_fact(const Thing& thing, std::size_t attribute);
  void say_next_step(const Thing& after);
  // Whether `question` is a question of the guide whose answer this
  // message told (an option's words, told_now_).
  bool answers_told(const Node& question) const;
  // (`depth`: questions already passed by their told answers; bounded, so a
  // guide that loops cannot run on.)
  void say_next_step(const Node& here, const std::string& label, int depth = 0);
  std::string condition_label(const Condition& c) const;
  // The walkthrough's step whose title the question names ("the next step
  // after the accommodation registration"), if one does.
  const Node* step_titled(const Reading& r) const;
  std::string step_lines(const Node& step) const;
  void say_steps();
  // The walkthrough's steps in the order it reaches them, every branch.
  std::vector<const Node*> walkthrough_steps() const;
  // Those the page numbers as step `n` (a source "Step 2 (...)").
  std::vector<const Node*> page_steps(int n) const;
  void say_page_step(const Node& step, int n);
  void ask_which_thing(std::size_t attribute);
  std::size_t attribute_index(const std::string& id) const;
  const Node* step_at(const Thing& thing) const;
  void answer_faq(const Faq& faq);
  // The entry is what was talked about last ("its hours?" next).
  void talked_about(const Faq& faq);
  std::string answer_by_length(const Faq& faq) const;
  const Text& answer_by_case(const Faq& faq) const;
  // A case a `by_case` answer depends on, told of themselves ("我住学校宿舍"):
  // kept as walkthrough answers.
  void keep_told_case(const Analysis& message, std::string_view raw);
  // answer_replies.cpp: days of overstay told, and the fine per day worked out for them.
  void keep_overstay(const Analysis& message);
  void say_fine_for_days(const PerDay& fine);
  static constexpr long kMostOverstayDays = 3650;
  // "2026-12-05 is a Saturday.": before the hours asked for a day.
  void say_weekday(Date date);
  // told_case.cpp: the rows of `by` whose words `text` holds, not negated
  // (common.json's "negation" in the clause before them); a word inside a
  // longer one of another row is not that row's ("住校" inside "住校外").
  std::vector<const ByCase::Row*> rows_said(const ByCase& by, std::string_view text) const;
  // ...and whether `text` says one of `words` so.
  bool says_case(std::string_view text, const std::vector<std::string>& words) const;
  // ...and the case the page does not cover that the message (or the
  // statement before it) names, if any.
  const Outside* outside_told(const Analysis& message) const;
  // The entry of the rule of a case told before ("我是从南京的学校转学过来的"),
  // where the message asks it: its event named ("到徐州以后居留许可要做什么")
  // or a time limit ("我现在要注意什么期限"); nullptr otherwise.
  const Faq* told_case_rule_entry(const Analysis& message) const;
  const std::vector<std::string>& negations() const;
  void offer(const std::vector<Engine::Match>& options, const char* key, const Fill& values = {});
  const Thing* context_thing() const;
  // Days since the student's own expiry at their own university (0 or less:
  // not passed, or none told).
  int days_past_expiry() const;
  // What "it" is in `r`: `context`, unless the word after the pointer
  // ("that office") is not in its names but in those of the thing talked
  // about before it: then that one.
  const Thing* pointed_at(const Reading& r, const Thing* context) const;
  // The place the student said they are at now (Context::here), if one.
  const Thing* place_here() const;
  // The entry whose answer a fact or an FAQ answer says; nullptr for others.
  const Faq* answering_entry(const Understood& u) const;
  const Thing* step_thing() const;

  // deadlines.cpp
  bool handle_dates(const Analysis& a);
  // `others`: every date of the message; a word nearer another is that one's.
  // The date a correction with no word of what it is corrects: the one
  // just asked for, else the student's only one.
  std::string corrected_date() const;
  std::string meaning_of(const Analysis& a, const DateFound& date, const std::vector<DateFound>& others = {}) const;
  // "Today is dec 5 right" answered with the calendar's day; true when the
  // message says nothing more (dates_given.cpp).
  bool says_today_named(const Analysis& a);
  // The dates a message gives, each read as the day it is (dates_given.cpp).
  std::vector<DateFound> dates_given(const Analysis& a, const std::vector<PhraseIndex::Hit>& date_words) const;
  void ask_meaning(const DateFound& date);
  // `assumed`: no word said what the date is (see handle_dates).
  // Context::awaiting after someone else's date: this mark, then its kind.
  static constexpr std::string_view kOthersDate = "~";
  // Whether a date's clause says it is someone else's ("my friend's").
  bool of_someone_else(const Analysis& a, const DateFound& date) const;
  void say_others_date(const std::string& kind, const Moment& moment);
  // What the page expects to happen counted from a date of `kind` ("the
  // letter after 3 working days: around ..."), a line each; "" for none.
  std::string expected_from(const std::string& kind, const Moment& moment);
  // The places a message with one date says it happened at ("at the
  // citizens home", "交到市出入境"), and of them the one a date of this kind
  // was told at, when the page's expected time for it counts from another
  // place; null otherwise.
  std::vector<const Thing*> places_told(const Analysis& a, const std::vector<DateFound>& found) const;
  const Thing* told_elsewhere(const std::string& kind, const std::vector<const Thing*>& places) const;
  // planned_dates.cpp: a day the student plans to go somewhere, checked
  // against their deadlines for what is done there. Whether it was said.
  // `kind_said`: what the words make the date, if anything.
  bool say_planned_day(const Analysis& a, const DateFound& day, const std::string& kind_said);
  // Words of going or of the future: a day told with them may be planned.
  bool tells_plan(const Analysis& a) const;
  // Someone else's date just told (Context::others), its kind and day.
  struct OthersDate {
    std::string kind;
    Date date;
  };
  std::optional<OthersDate> others_told() const;
  // "he", "her", "她" in `a` ("其他" is no person).
  bool of_third_person(const Analysis& a) const;
  // "When does he have to apply?" right after someone else's date: their
  // deadline again, if `u` asks when. Whether it was said.
  bool say_others_date_again(const Understood& u);
  // The student's dates said again, each with its deadline ("what's my
  // deadline?", "am i still ok?"); only those a rule counts from, if
  // `ruled_only`. Whether any was.
  bool say_dates_again(bool ruled_only);
  void note_date(const std::string& kind, Moment moment, const DateFound* as_written, bool assumed = false);
  void schedule_reminders();
  // "So when do I have to apply?" answered by the entry a rule of a date
  // the student gave comes from: that date's deadline, worked out.
  bool say_own_dates(const Faq& faq);
  bool say_own_dates(const std::optional<Source>& source);  // a fact's, or an entry's
  // The kinds of the student's dates whose rule (or expected date) comes
  // from `source`.
  std::vector<std::string> own_dates_from(const std::optional<Source>& source) const;
  // `u`, or the entry a rule of the student's own date comes from when it is
  // close behind (a question of when).
  Understood by_own_dates(Understood u, const Reading& r) const;
  // Whether `question` shares a word with what a rule counted from the
  // student's dates, stated by `entry`, has them do.
  bool shares_words(const Analysis& question, const Faq& entry) const;
  // "How long can I stay?" from a student who told "came on an X2 visa": of
  // the close entries, one with a row for their case (by_case).
  Understood by_told_case(Understood u, const Reading& r) const;
  // A fine asked after an overstay was told (st_.context.overstay): the
  // entry that counts the fine by the day, unless the question names the
  // topic of the entry chosen.
  Understood by_overstay_told(Understood u, const Reading& r) const;
  // Whether the attribute asks when (a deadline, or how long until).
  bool asks_when(std::size_t attribute) const {
    return common_.attributes[attribute].id == "deadline" || common_.attributes[attribute].id == "duration";
  }
  std::vector<Effect::Reminder> reminders(const std::string& kind, Date by, const Fill& values, const char* key) const;
  const DateKind* date_kind(const std::string& id) const;

  // walkthrough.cpp
  // Where the student's answers lead the guide from its start straight to
  // an end: a situation the page settles alone (HUST's Tongji students
  // follow the Medical International Student Office). Null otherwise.
  const Node* settled_end() const;
  // An entry for another case than the student's own (off campus, for one
  // who said they live on campus): the entry for theirs, and the label of
  // their case ("On campus (International Students' Dormitory)"), if the
  // page has one.
  std::pair<const Faq*, const Text*> for_my_case(const Faq& faq) const;
  void start_walkthrough();
  void render_node();
  void render_step(const Node& n);
  void go_next();
  void go_back();
  void progress();
  void tick(int number);
  void choose_option(std::size_t index);
  bool answer_by_label(const std::string& norm);
  std::vector<std::size_t> visible_items(const Node& n) const;
  bool holds(const Condition& c) const;
  const Node* follow(const std::vector<Edge>& edges) const;
  const Node* current() const;
  int step_number(std::size_t path_length) const;

  const Engine& engine_;
  const Common& common_;
  StudentState& st_;
  Outcome& out_;
  Date today_;
  std::int64_t minutes_;  // now, in minutes since the epoch
  const University* uni_;
  Lang lang;
  std::vector<std::string> told_now_;  // the guide's variables this message told by an option's words ("我住校外")
  std::vector<std::string> denied_now_;  // ...or denied ("我不住校外")
  std::string awaiting_;  // the date kind the last reply asked for: a bare date in this message is that
  // What was last answered before a change of university (Context::before),
  // for this message only: "and here?".
  std::string before_;
  // The statement the last reply could not place (Context::statement), for
  // this message only.
  std::string statement_;
  bool stale_thing_ = false;  // a thing was talked about, too long ago to be what "it" means now
  std::string thing_at_start_;  // the thing talked about when this turn began
  bool asked_back_ = false;   // the last reply asked the student to choose (a number)
  std::vector<std::string> offered_;  // ...and the entries it offered ("faq:<id>"), in order
  // Dates read at another university's page ("my friend at CQUPT: his visa
  // expires ..."): their deadlines are said, but not kept as the student's,
  // and no reminders are set.
  bool elsewhere_dates_ = false;
  // The last question is being asked again at each of several universities
  // ("is it the same at the other unis"): "吗" asks it, as "?" would.
  bool asking_each_ = false;
  // What was last answered at another university, as the message found it
  // ("=cqupt:faq:letter"): "it" asked there next is that.
  std::string answered_there_;
  std::vector<std::string> parts_;
  // The question being answered, and the permit length it tells, which
  // picks the row of an answer that depends on it.
  std::string asked_;
  std::optional<PermitLength> asked_length_;
  // ...and whether it is asked of someone else ("给她办的话要去哪里"): the
  // student's own case told before does not pick the row then.
  bool asked_of_others_ = false;
};

}  // namespace permit::dialogs
