// Dates that are someone else's ("my friend's permit expires ...", "我室友
// 的...", "my brother arrived ..."): told apart from the student's own,
// never kept as theirs nor reminded of, with what the rule gives from them.

#include "dialogs/date_meaning.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <string_view>

namespace permit::dialogs {

bool Turn::of_someone_else(const Analysis& a, const DateFound& date) const {
  if (date.end > a.text.size()) return false;
  auto clause = clause_of(a.text, date);
  // (From the date before in its clause: "my visa expires 10 jan and his
  // expires 20 feb" names his for the second.)
  bool after_another = false;
  for (const DateFound& o : find_dates(a.text, today_))
    if (o.end <= date.begin && o.begin >= clause.first) {
      clause.first = std::max(clause.first, o.end);
      after_another = true;
    }
  const std::string_view text = a.text;
  // Words of the student's own, or of a third person, in a span.
  auto has_word = [](std::string_view span, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return contains_phrase(span, w); });
  };
  // Where a word last stands in a span, as a whole word; npos for none.
  auto last_at = [](std::string_view span, std::initializer_list<std::string_view> words) {
    std::size_t last = std::string_view::npos;
    for (std::string_view w : words)
      for (auto at = find_phrase(span, w); at != std::string_view::npos; at = find_phrase(span, w, at + 1))
        if (last == std::string_view::npos || at > last) last = at;
    return last;
  };
  // Whose the date is by the last owner named before it: "he told me his
  // expires jan 10" is his, "he said mine expires jan 10" the student's.
  auto own_last = [&](std::string_view span) {
    const std::size_t mine_at = last_at(span, {"me", "my", "i", "mine", "我"});
    const std::size_t theirs_at = last_at(span, {"his", "her", "hers", "their", "theirs", "他的", "她的", "他们的"});
    return mine_at != std::string_view::npos && (theirs_at == std::string_view::npos || mine_at > theirs_at);
  };
  const auto kinds = engine_.date_words().find(a);
  // Whose permit the clause names before the date: "my permit and my
  // brother's both expire ..." is the student's too; "his visa expires
  // ...", "她的居留许可..." another's.
  bool mine = false, theirs = false;
  if (uni_ != nullptr)
    for (const auto& t : engine_.things_in(uni_->id, a)) {
      if (!uni_->things[t.id].main || t.begin < clause.first || t.end > date.begin) continue;
      const std::string_view before = text.substr(clause.first, t.begin - clause.first);
      mine = mine || before.ends_with("my ") || before.ends_with("我的") || before.ends_with("我");
      theirs = theirs || before.ends_with("his ") || before.ends_with("her ") || before.ends_with("他的") ||
               before.ends_with("她的");
    }
  if (mine) return false;
  if (theirs) return true;
  // ("她的2月10号到期" after "我的1月10号到期": the owner since that date.)
  if (after_another) {
    const std::string_view since = text.substr(clause.first, date.begin - clause.first);
    if (has_word(since, {"his", "her", "hers", "their", "他的", "她的", "他们的"}) && !own_last(since)) return true;
  }
  // What opens the clause, past "and", "but": "his expires 10 jan", "她是
  // 11月28号拿到的" (a third person), or "my friend got hers on nov 28",
  // "我室友是11月28号" (another who does it).
  auto opening = [&](std::size_t to) {
    std::string_view open = text.substr(clause.first, to - clause.first);
    for (bool more = true; more;) {
      more = false;
      for (std::string_view w : {" ", ",", "，", "and ", "but ", "so ", "then ", "然后", "但是", "可是", "那"})
        if (open.starts_with(w)) {
          open.remove_prefix(w.size());
          more = true;
        }
    }
    return open;
  };
  // (Not with the student's own between it and the date: "he said mine
  // expires 10 jan", "she gave me the letter on dec 3", "她的1月10号到期
  // 我的2月10号到期" for the second date.)
  {
    const std::size_t opens_at = static_cast<std::size_t>(opening(date.begin).data() - text.data());
    for (const auto& h : engine_.words(Words::third_person).find(a))
      if (h.begin == opens_at && h.end <= date.begin && !own_last(text.substr(h.end, date.begin - h.end))) return true;
  }
  for (const auto& h : engine_.words(Words::others).find(a)) {
    if (h.begin < clause.first || h.end > date.begin) continue;
    const std::string_view after = text.substr(h.end, date.begin - h.end);
    // The student's own between them: "my friend checked for me and my
    // permit expires ...", "我室友帮我看了 我的居留许可...".
    if (own_last(after)) continue;
    const std::string_view before = opening(h.begin);
    if (before.empty() || before == "my " || before == "我" || before == "我的" || before == "our ") return true;
    // The other owns the date ("my friend's permit", "室友的居留许可", "his
    // visa") or does what it dates ("my brother arrived with an X1 on nov
    // 1"); not "going home to see my parents on 2027-01-20".
    const bool owns = after.starts_with("'s") || after.starts_with("’s") || after.starts_with(" s ") ||
                      after.starts_with("的") || has_word(after, {"his", "her", "he", "she", "他", "她"});
    // (Chinese may say it after the date: "他的签证还有两周就到期了"; or
    // only that it was done, of what was just told: "我朋友是11月28号拿到
    // 的" right after the letter's date.)
    auto in_clause_after = [&](const PhraseIndex::Hit& k) { return k.begin >= h.end && k.end <= clause.second; };
    const auto done = engine_.words(Words::have_done).find(a);
    const bool does = std::any_of(kinds.begin(), kinds.end(), in_clause_after) ||
                      std::any_of(done.begin(), done.end(), in_clause_after);
    if (owns || does) return true;
  }
  return false;
}

void Turn::say_others_date(const std::string& kind, const Moment& moment) {
  const std::string date = iso(moment.date);
  // A bare date or a correction right after is theirs too (see handle_dates).
  st_.context.awaiting = std::string(kOthersDate) + kind;
  st_.context.others = kind + " " + date;
  touch_context();
  const DatedRule* rule = uni_ != nullptr ? uni_->rule_for(kind) : nullptr;
  // ("我朋友11月28号交的材料": when their letter is ready, if nothing is due.)
  if (rule == nullptr) {
    const std::string ready = uni_ != nullptr ? expected_from(kind, moment) : "";
    return say(text(ready.empty() ? "others_date_none" : "others_date_plain", {{"date", date}}) + ready);
  }
  const Moment by = apply(rule->offset, moment);
  std::string deadline = iso(by);
  if (rule->offset.unit == Offset::Unit::hours && !moment.time) deadline += text("deadline_same_time");
  const bool passed = by.date < today_;
  say(text(passed ? "others_date_passed" : "others_date",
           {{"date", date}, {"to", rule->to.in(lang)}, {"deadline", deadline}, {"source", source_ref(rule->source)}}));
  out_.stated.push_back("deadline:" + kind);
}

bool Turn::of_third_person(const Analysis& a) const {
  const auto hits = engine_.words(Words::third_person).find(a);
  return std::any_of(hits.begin(), hits.end(),
                     [&](const PhraseIndex::Hit& h) { return !std::string_view(a.text).substr(0, h.begin).ends_with("其"); });
}

std::optional<Turn::OthersDate> Turn::others_told() const {
  const std::size_t space = st_.context.others.find(' ');
  if (space == std::string::npos) return std::nullopt;
  const auto date = parse_iso(std::string_view(st_.context.others).substr(space + 1));
  if (!date) return std::nullopt;
  return OthersDate{st_.context.others.substr(0, space), *date};
}

bool Turn::say_others_date_again(const Understood& u) {
  const auto others = others_told();
  if (!others) return false;
  const std::string& kind = others->kind;
  const std::optional<std::size_t> asked = u.kind == Understood::Kind::fact ? std::optional(u.attribute) : u.asked;
  // (No attribute asked, "when does he have to apply": the entry of the
  // rule that counts from their date.)
  // (Or of what is expected from it: "when can she get the letter" after
  // her submission.)
  const DatedRule* rule = uni_ != nullptr ? uni_->rule_for(kind) : nullptr;
  const bool of_entry = !asked && u.kind == Understood::Kind::faq && u.faq->source && uni_ != nullptr;
  const bool rule_entry =
      of_entry && ((rule != nullptr && same_source(rule->source, *u.faq->source)) ||
                   std::any_of(uni_->expected.begin(), uni_->expected.end(), [&](const DatedRule& e) {
                     return e.date == kind && same_source(e.source, *u.faq->source);
                   }));
  if (asked ? !asks_when(*asked) : !rule_entry) return false;
  say_others_date(kind, Moment{others->date, std::nullopt});
  return true;
}

}  // namespace permit::dialogs
