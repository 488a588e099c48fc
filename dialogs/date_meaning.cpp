// What a date the student gives is: the words nearest it, the date the bot
// just asked for, a correction of the last one, or the university's only
// dated rule; otherwise the student is asked (ask_meaning).

#include "dialogs/date_meaning.hpp"
#include "dialogs/closeness.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <optional>

namespace permit::dialogs {

std::pair<std::size_t, std::size_t> clause_of(std::string_view text, const DateFound& date) {
  constexpr std::string_view kMarks[] = {",", "，", ";", "；", "?", "？", "!", "！", "。", ". "};
  std::size_t from = 0, to = text.size(), mark_at = 0;
  for (std::string_view mark : kMarks) {
    if (auto at = text.rfind(mark, date.begin); at != std::string_view::npos && date.begin > 0 && at + mark.size() > from) {
      from = at + mark.size();
      mark_at = at;
    }
    if (auto at = text.find(mark, date.end); at != std::string_view::npos) to = std::min(to, at);
  }
  // "got the letter 3 working days later, on the 4th": a clause of nothing
  // but the date goes with the one before it.
  auto bare = [](std::string_view gap) {
    for (std::string_view w : {" ", "on", "the"})
      while (gap.starts_with(w)) gap.remove_prefix(w.size());
    return gap.find_first_not_of(' ') == std::string_view::npos;
  };
  if (from > 0 && date.begin >= from && date.end <= to && bare(text.substr(from, date.begin - from)) &&
      bare(text.substr(date.end, to - date.end))) {
    DateFound before;  // (right before the mark: rfind would find the mark itself)
    before.begin = before.end = mark_at > 0 ? mark_at - 1 : 0;
    from = mark_at > 0 ? clause_of(text, before).first : 0;
  }
  return {from, to};
}

bool asks_valid(std::string_view text) {
  return text.find("valid") != std::string_view::npos || text.find("有效") != std::string_view::npos ||
         text.find("还能用") != std::string_view::npos;
}

std::optional<std::size_t> one_kind(const std::vector<PhraseIndex::Hit>& hits) {
  if (hits.empty()) return std::nullopt;
  for (const auto& h : hits)
    if (h.id != hits.front().id) return std::nullopt;
  return hits.front().id;
}

namespace {

// How far a word is from the date. English says what a date is before it
// ("the record was issued on 31 August", "expires on 1 March"); a word
// after an English date ("..., valid until when?") counts as farther.
std::size_t distance(std::string_view text, const DateFound& d, const PhraseIndex::Hit& h) {
  constexpr std::size_t kAfter = 40;
  if (h.end <= d.begin) return d.begin - h.end;
  if (d.end <= h.begin) {
    const bool english = static_cast<unsigned char>(text[h.begin]) < 0x80;
    return h.begin - d.end + (english ? kAfter : 0);
  }
  return 0;
}

// Nothing but spaces and "on" between "it was" and its date.
// (And the day of the week: "that was on thursday dec 3".)
bool only_space_or_on(std::string_view between) {
  while (!between.empty() && between.front() == ' ') between.remove_prefix(1);
  if (between.starts_with("on ")) between.remove_prefix(3);
  for (std::string_view day : kWeekdays)
    if (between.starts_with(day)) between.remove_prefix(day.size());
  while (!between.empty() && (between.front() == ' ' || between.front() == ',')) between.remove_prefix(1);
  return between.empty();
}

}  // namespace

std::string Turn::corrected_date() const {
  return !awaiting_.empty() ? awaiting_ : st_.dates.size() == 1 ? st_.dates.begin()->first : "";
}

const DateKind* Turn::date_kind(const std::string& id) const {
  for (const auto& k : common_.dates)
    if (k.id == id) return &k;
  return nullptr;
}

// The words nearest the date say what it is ("I received the letter on
// ..."); without any, a date the bot has just asked for is that one, and a
// university with a single dated rule has only one thing it can be.
// Otherwise: "", and the student is asked.
std::string Turn::meaning_of(const Analysis& a, const DateFound& date, const std::vector<DateFound>& others) const {
  // "That was on thursday dec 3" right after "I handed in the papers": the
  // date of what was just told, whatever else the sentence names.
  // So is "oh wait no it was nov 12, so whens the last day for handing in
  // the copy": "it was" right before the date, in its clause, whatever the
  // question after it names; and "sorry i meant the 12th, jan 12. so when
  // do i have to apply by": "i meant" before the date, with no word of
  // what a date is from it to the end of the date's clause, no question up
  // to the date.
  // (The date corrected: the one just given, else the student's only one,
  // even with a message between: "wait let me check my passport". Only
  // "i meant", "我是说": "actually", "其实", "应该是" and "sorry" also
  // start sentences that tell a new date, "其实我12月1号搬家了".)
  // ("go home for medical reasons on 10 jan": a reason names no event.)
  auto hits = without_overlaps(engine_.date_words().find(a));
  // (Nor "我上个月10号拿到了体检报告": the day a paper came, not the day of
  // the examination; but "the date on my exam report" is.)
  auto reasons = engine_.words(Words::reasons).find(a);
  if (engine_.says(Words::have_done, a))
    for (const auto& h : engine_.words(Words::not_events).find(a)) reasons.push_back(h);
  // (Nor "飞机" of a departure in "12月1号下的飞机": a landing, read below.)
  const auto landed = engine_.words(Words::landed).find(a);
  reasons.insert(reasons.end(), landed.begin(), landed.end());
  std::erase_if(hits, [&](const PhraseIndex::Hit& h) {
    return std::any_of(reasons.begin(), reasons.end(), [&](const auto& r) { return h.begin < r.end && r.begin < h.end; });
  });
  // (Nor the expiry of another paper: "my passport is valid until 1 may
  // 2029", "我的租房合同有效期到…" say nothing of the permit's, which is
  // asked about, not assumed.)
  // (Of the papers named, the one nearest before the date, since the date
  // before it: "my permit is valid until 2027-02-10 and my passport is
  // valid until 2027-05-01" dates the permit, then the passport.)
  {
    std::size_t from = 0;
    for (const auto& o : others)
      if (o.end <= date.begin && o.end > from) from = o.end;
    auto last_before = [&](Words list) -> std::optional<std::size_t> {
      std::optional<std::size_t> at;
      for (const auto& h : engine_.words(list).find(a))
        if (h.begin >= from && h.end <= date.begin) at = h.begin;
      return at;
    };
    const auto other = last_before(Words::other_papers), permit = last_before(Words::permit_papers);
    const bool another_paper = other ? !permit || *permit < *other
                                     : !engine_.says(Words::permit_papers, a) && engine_.says(Words::other_papers, a);
    if (another_paper)
      std::erase_if(hits, [&](const PhraseIndex::Hit& h) { return common_.dates[h.id].id == "expiry"; });
  }
  const std::string corrected = corrected_date();
  // ("sorry i mean nov 19, the 12th was when i handed in my papers": a word
  // of what a date is in a clause after, of another date, leaves "i mean"
  // its correction.)
  // (Not a date of someone else's: "sorry, my roommate's is 3 march".)
  if (!corrected.empty() && !engine_.says(Words::others, a))
    for (const auto& h : engine_.words(Words::meant).find(a))
      // (Only the first date after it: "oops i mean 10 oct, nov 10 was when
      // i went to citizens home" corrects with 10 October alone.)
      if (h.end <= date.begin && date.end <= a.text.size() && !read(a.text.substr(h.begin, date.end - h.begin)).asks &&
          std::none_of(others.begin(), others.end(), [&](const DateFound& o) { return o.begin >= h.end && o.end <= date.begin; })) {
        const std::size_t clause_to = clause_of(a.text, date).second;
        if (std::none_of(hits.begin(), hits.end(), [&](const PhraseIndex::Hit& w) { return w.end > h.begin && w.begin < clause_to; }))
          return corrected;
      }
  if (!corrected.empty() && hits.empty() && !engine_.says(Words::others, a)) {
    // "不好意思 是12月1号到的", "sorry, 2027-03-12": an apology before a date
    // corrects only a message that says nothing else ("sorry one more thing,
    // classes start on 2027-02-25, is that a problem" tells a new date).
    for (const auto& h : engine_.words(Words::apology).find(a)) {
      if (h.end > date.begin || date.end > a.text.size()) continue;
      std::string rest = a.text;
      rest.erase(date.begin, date.end - date.begin);
      rest.erase(h.begin, h.end - h.begin);
      const Reading r = read(rest);
      if (!asks_by_words(a) && r.leftover <= kLeftoverForPointer)
        return corrected;
    }
  }
  if (!awaiting_.empty())
    for (const auto& h : engine_.words(Words::that_was).find(a)) {
      if (h.begin == 0) return awaiting_;
      if (h.end <= date.begin && date.end <= a.text.size() &&
          only_space_or_on(std::string_view(a.text).substr(h.end, date.begin - h.end)) &&
          h.begin >= clause_of(a.text, date).first)
        return awaiting_;
    }
  if (!hits.empty() && date.relative && date.end <= a.text.size()) {
    // "My visa expires next month, my birthday is 20th this month": a day
    // said relative to today in a clause of its own, with words of its
    // own and none that says what it is, is not the date the other clause
    // speaks of; it is asked. (Written dates keep the nearest word: "我是
    // 转学过来的，9月5号到的学校".)
    // (Not a structured binding: clang before 16 cannot capture one.)
    const auto clause = clause_of(a.text, date);
    const std::size_t from = clause.first, to = clause.second;
    const bool word_in_clause =
        std::any_of(hits.begin(), hits.end(), [&](const auto& h) { return h.begin >= from && h.end <= to; });
    if (!word_in_clause) {
      const std::string clause =
          a.text.substr(from, date.begin - from) + " " + a.text.substr(date.end, to - date.end);
      if (read(clause).leftover > 0) return "";
    }
  }
  // "我下周一12月7号交 什么时候能拿到公函": a word after the question word
  // that follows the date is what is asked, not what the date is.
  if (!hits.empty() && date.end <= a.text.size()) {
    const auto asked = engine_.words(Words::interrogatives).find(a);
    std::erase_if(hits, [&](const PhraseIndex::Hit& h) {
      return std::any_of(asked.begin(), asked.end(), [&](const PhraseIndex::Hit& q) {
        // (Not "25/07/2027 is when my permit expires".)
        const std::string_view before = std::string_view(a.text).substr(0, q.begin);
        return q.begin >= date.end && q.end <= h.begin &&
               !is_inverted(std::string_view(a.text).substr(q.begin, q.end - q.begin)) && !before.ends_with("is ") &&
               !before.ends_with("was ");
      });
    });
  }
  // "Got it on the 20th of november, when is the deadline to hand in the
  // copy": the words of a clause that asks name what is asked, not what the
  // date told in another clause is.
  if (hits.size() > 0 && date.end <= a.text.size()) {
    const auto own = clause_of(a.text, date);
    auto asking_elsewhere = [&](const PhraseIndex::Hit& h) {
      if (h.begin >= own.first && h.end <= own.second) return false;
      DateFound at;
      at.begin = h.begin;
      at.end = h.end;
      const auto other = clause_of(a.text, at);
      // (By a question word: "when", "哪", not "i'll", "is".)
      const Analysis c = engine_.analyse(a.text.substr(other.first, other.second - other.first));
      const auto asked = engine_.words(Words::interrogatives).find(c);
      return std::any_of(asked.begin(), asked.end(), [&](const PhraseIndex::Hit& q) {
        return !is_inverted(std::string_view(c.text).substr(q.begin, q.end - q.begin));
      });
    };
    if (!std::all_of(hits.begin(), hits.end(), asking_elsewhere))
      std::erase_if(hits, asking_elsewhere);
    else
      hits.clear();
  }
  if (!hits.empty()) {
    std::size_t best = std::string::npos;
    std::string kind;
    bool tie = false;
    // The one kind the words of other dates' clauses name, when every word
    // is theirs: "他11月10号拿到公函,我是11月25号拿到的" tells two dates of
    // one kind, the second clause leaving its object out.
    std::string theirs;
    bool one_theirs = true;
    const auto own = date.end <= a.text.size() ? clause_of(a.text, date) : std::pair<std::size_t, std::size_t>{0, a.text.size()};
    for (const auto& h : hits) {
      const std::size_t d = distance(a.text, date, h);
      // "我11月28号从原来的学校离校 12月3号到的徐州": "到的" says what the
      // second date is, not the first.
      // (In its own clause: "我2026年7月1日做的体检,2027年1月10日才去..."
      // keeps 体检 for the first.)
      // (Nor a word of another date's clause that is not in this one's:
      // "我11月10号拿到公函，12月20号去可以吗" keeps 公函 for the first.)
      const bool in_own = h.begin >= own.first && h.end <= own.second;
      if (std::any_of(others.begin(), others.end(), [&](const DateFound& o) {
            if (o.status == DateFound::Status::none || o.begin == date.begin || (in_own && distance(a.text, o, h) >= d))
              return false;
            const auto clause = clause_of(a.text, o);
            return h.begin >= clause.first && h.end <= clause.second;
          })) {
        const std::string& id = common_.dates[h.id].id;
        if (!theirs.empty() && theirs != id) one_theirs = false;
        theirs = id;
        continue;
      }
      const std::string& id = common_.dates[h.id].id;
      if (d < best) {
        best = d;
        kind = id;
        tie = false;
      } else if (d == best && id != kind) {
        tie = true;
      }
    }
    // "My friend's visa expires on 31 december and mine on 10 february",
    // "i got the letter on nov 10 and she got it on nov 25": what is said
    // since the date before tells whose date of that same kind this is.
    if (best == std::string::npos && one_theirs && !theirs.empty() && date.end <= a.text.size()) {
      std::size_t from = 0;
      for (const DateFound& o : others)
        if (o.status != DateFound::Status::none && o.end <= date.begin) from = std::max(from, o.end);
      const Analysis between = engine_.analyse(a.text.substr(from, date.begin - from));
      const bool someone_else = of_third_person(between) || engine_.says(Words::others, between);
      // (Not "and my passport expires 20 feb": no date of the permit's.)
      if (from > 0 && read(between).leftover <= kLeftoverForPointer && !engine_.says(Words::reasons, between)) {
        if (someone_else) return std::string(kOthersDate) + theirs;
        if (engine_.says(Words::mine, between)) return theirs;
      }
      // (Told as done, by then: "i got the letter on nov 10, can i go on
      // dec 20" asks of a day to come.)
      const auto [clause_from, to] = clause_of(a.text, date);
      if (const DateKind* k = date_kind(theirs); k != nullptr && k->done_when_told && date.date <= today_) {
        const Analysis rest =
            engine_.analyse(a.text.substr(clause_from, date.begin - clause_from) + " " + a.text.substr(date.end, to - date.end));
        const Reading r = read(rest);
        if (r.leftover <= kLeftoverForPointer && !r.asks && engine_.says(Words::past_tense, rest))
          return someone_else ? std::string(kOthersDate) + theirs : theirs;
      }
    }
    return tie ? "" : kind;
  }
  // "Landed in shanghai on 25 november": a flight's landing with no word of
  // another kind (a transfer's arrival: "transferred, landed in xuzhou on
  // dec 1") is the entry into China; not for a student who told the case
  // of another dated rule before ("i'm a transfer student", then "i
  // landed on dec 1": the rules below decide).
  const bool other_case_told = uni_ != nullptr && std::any_of(uni_->deadlines.begin(), uni_->deadlines.end(), [&](const DatedRule& rule) {
    return rule.date != "entry" && !rule.case_set.empty() && holds(rule.case_set);
  });
  if (date.end <= a.text.size() && !other_case_told) {
    const auto clause = clause_of(a.text, date);
    if (std::any_of(landed.begin(), landed.end(), [&](const auto& h) { return h.begin >= clause.first && h.end <= clause.second; }) &&
        date_kind("entry") != nullptr)
      return "entry";
  }
  if (uni_ == nullptr) return awaiting_;
  // The date the bot asked for, or a correction of the last one ("sorry,
  // it is 2027-03-02", "不对 是12月3号到的"), says little else but that it
  // corrects, and names no thing; "went to optics valley on nov 12 and the
  // permit came out dec 1", or "then got my new residence permit on dec
  // 3", after the letter's date is not the letter's.
  // (The rest of the message is read once, and only when it decides.)
  std::optional<Reading> rest_read;
  auto rest = [&]() -> const Reading& {
    if (!rest_read) {
      std::string text = a.text;
      if (date.end <= text.size() && date.begin < date.end) text.erase(date.begin, date.end - date.begin);
      rest_read = read(text);
    }
    return *rest_read;
  };
  // (A day asked "valid" is never the event's own day: "is mine still
  // valid on jan 10" after the examination.)
  if (asks_valid(a.text)) return "";
  // (Not a day planned or asked about: "can i go on jan 20", "i plan to go
  // on jan 20" right after the expiry do not correct it; nor a question.)
  const bool correcting = engine_.says(Words::correction, a);
  const bool planned = !correcting && (tells_plan(a) || engine_.says(Words::go_there, a));
  const bool asked = !correcting && asks_by_words(a);
  if (!awaiting_.empty() && rest().things.empty() && !planned && !asked &&
      (rest().leftover <= kLeftoverForPointer || (correcting && !rest().asks)))
    return awaiting_;
  // "So if I do it on Monday 2026-12-07, when can I collect it?" right
  // after the physical examination: "it" is the place just talked about,
  // and the date is when that happens, if its name says one kind of date.
  // Chinese leaves "it" out: "我11月10号就拿到了" right after the letter
  // ends on the verb of having it.
  auto object_left_out = [&] {
    // (Not "他…就拿到了", whose it is unknown; "我朋友上个月10号就拿到了" is
    // the friend's, told apart as theirs.)
    if (of_third_person(a) || (engine_.says(Words::others, a) && !of_someone_else(a, date))) return false;
    const auto done = engine_.words(Words::have_done).find(a);
    return std::any_of(done.begin(), done.end(), [&](const PhraseIndex::Hit& h) {
      const bool chinese = static_cast<unsigned char>(a.text[h.begin]) >= 0x80;
      std::string_view after = std::string_view(a.text).substr(h.end);
      for (bool more = true; more;) {
        more = false;
        for (std::string_view mark : {" ", "。", "！", "!", ".", "啊", "呀", "啦", "的"})
          if (after.starts_with(mark)) {
            after.remove_prefix(mark.size());
            more = true;
          }
      }
      return chinese && after.empty();
    });
  };
  if (const Thing* t = context_thing();
      t != nullptr && (engine_.says(Words::pointers, a) || (rest().things.empty() && object_left_out()))) {
    if (const auto kind = one_kind(engine_.date_words().find(engine_.analyse(t->label.en))))
      return common_.dates[*kind].id;
  }
  // "我朋友是11月28号拿到的" right after "我12月3号拿到公函": someone else's
  // date of what the student has just told of their own.
  if (engine_.says(Words::others, a) && rest().things.empty() && object_left_out())
    if (const std::string kind = corrected_date(); !kind.empty() && !kind.starts_with(kOthersDate)) return kind;
  // "i got mine on 20 november" after a friend's letter of 1 November: the
  // student's own of that kind.
  if (engine_.says(Words::mine, a) && !engine_.says(Words::others, a))
    if (const auto theirs = others_told()) return theirs->kind;
  // "体检报告有效期多久" answered, then "我5月20号做的" or "i'm going on friday
  // the 11th": a date told as the student's doing (a word of the past, or
  // of going) and nothing else, right after an entry whose rules count from
  // one kind of date done when told of, is that date. (Not a bare "jan 20"
  // after the fee, which the greeting asks as the expiry.)
  if (!st_.context.faq.empty() && rest().things.empty() && rest().leftover <= kLeftoverForPointer && !rest().asks &&
      !engine_.says(Words::others, a) && (engine_.says(Words::past_tense, a) || engine_.says(Words::going, a)))
    if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr && last->source) {
      std::vector<std::string> kinds;
      auto add = [&](const std::string& kind, const Source& source) {
        if (same_source(source, *last->source) && std::find(kinds.begin(), kinds.end(), kind) == kinds.end())
          kinds.push_back(kind);
      };
      for (const auto& rule : uni_->deadlines) add(rule.date, rule.source);
      for (const auto& e : uni_->expected) add(e.date, e.source);
      if (const DateKind* k = kinds.size() == 1 ? date_kind(kinds.front()) : nullptr; k != nullptr && k->done_when_told)
        return kinds.front();
    }
  const bool only_expiry =
      std::all_of(uni_->deadlines.begin(), uni_->deadlines.end(), [](const DatedRule& r) { return r.date == "expiry"; });
  // (Not someone else's date: "sorry, my roommate's is 2027-03-10"; nor a
  // day planned once the expiry is known, which it would replace.)
  if (!only_expiry || engine_.says(Words::others, a)) return "";
  if (st_.dates.contains("expiry") && planned) return "";
  // "2027-03-01", "my visa: 2027-03-01": the university's one dated rule.
  // But "if I get the Progress Note on 10 December, when can I collect my
  // passport?" says more than a date: what it is, is asked.
  const Reading& r = rest();
  return r.leftover == 0 && r.attributes.empty() && !r.asks_next ? "expiry" : "";
}

void Turn::ask_meaning(const DateFound& date) {
  std::string list;
  st_.choices.clear();
  for (const auto& k : common_.dates) {
    if (k.id != "expiry" && (uni_ == nullptr || uni_->rule_for(k.id) == nullptr)) continue;
    st_.choices.push_back("date:" + k.id + ":" + iso(date.date));
    list += std::to_string(st_.choices.size()) + ". " + k.label.in(lang) + "\n";
  }
  std::string m;
  if (!date.year_given) m = text("date_year_assumed", {{"written", date.text}, {"date", iso(date.date)}}) + "\n";
  say(m + text("date_ask", {{"date", iso(date.date)}, {"choices", list}}));
}

}  // namespace permit::dialogs
