// What a student tells of themselves that an answer or a deadline depends
// on: the case of a `by_case` answer ("我住学校宿舍", "came on an X2 visa")
// or of a deadline rule ("我是从南京的学校转学过来的"), kept as walkthrough
// answers, and the close entry with a row for the case told.

#include "dialogs/closeness.hpp"
#include "dialogs/date_meaning.hpp"
#include "dialogs/dates.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <optional>

namespace permit::dialogs {

const std::vector<std::string>& Turn::negations() const { return common_.commands.at("negation"); }

std::vector<const ByCase::Row*> Turn::rows_said(const ByCase& by, std::string_view text) const {
  struct Hit {
    std::size_t begin, end;
    const ByCase::Row* row;
  };
  std::vector<Hit> hits;
  for (const auto& row : by.rows)
    for (const auto& w : row.words)
      for (auto at = find_phrase(text, w); at != std::string_view::npos; at = find_phrase(text, w, at + 1))
        if (!negated(text, at, negations())) hits.push_back({at, at + w.size(), &row});
  std::vector<const ByCase::Row*> out;
  for (const auto& h : hits) {
    const bool inside = std::any_of(hits.begin(), hits.end(), [&](const Hit& o) {
      return o.row != h.row && o.begin <= h.begin && h.end <= o.end && o.end - o.begin > h.end - h.begin;
    });
    if (!inside && std::find(out.begin(), out.end(), h.row) == out.end()) out.push_back(h.row);
  }
  return out;
}

bool Turn::says_case(std::string_view text, const std::vector<std::string>& words) const {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) {
    for (auto at = find_phrase(text, w); at != std::string_view::npos; at = find_phrase(text, w, at + 1))
      if (!negated(text, at, negations())) return true;
    return false;
  });
}

const Outside* Turn::outside_told(const Analysis& message) const {
  for (const auto& o : uni_->outside)
    for (std::string_view text : {std::string_view(message.text), std::string_view(statement_)})
      if (says_case(text, o.words) && !says_case(text, o.unless)) return &o;
  return nullptr;
}

const Faq* Turn::told_case_rule_entry(const Analysis& message) const {
  // "到徐州以后居留许可要做什么" from a student who told a transfer: the rule
  // of that case (ten days from arrival), whose event the words name.
  // (The case held is looked at first: nearly every student has told none.)
  // (With the date told, say_own_dates counts it instead.)
  if (uni_ == nullptr || uni_->id != st_.university) return nullptr;
  std::optional<Reading> read_once;  // the message read only for a student with such a case
  for (const DatedRule& rule : uni_->deadlines) {
    if (rule.case_set.empty() || !holds(rule.case_set) || st_.dates.contains(rule.date)) continue;
    // (Or a time limit asked, and nothing but the permit named, by a
    // student with no date of their own told: "我现在要注意什么期限" is
    // that rule's.)
    if (!read_once) read_once = read(message);
    const Reading& r = *read_once;
    const auto kind = one_kind(engine_.date_words().find(message));
    const bool names_event = kind && rule.date == common_.dates[*kind].id;
    const std::size_t deadline = attribute_index("deadline");
    const bool asks_limit =
        st_.dates.empty() && !r.attributes.empty() && r.attributes.front() == deadline && !kind && r.only_the_permit();
    if ((names_event || asks_limit) && find_dates(message.text, today_).empty() && r.asks)
      if (const Faq* entry = entry_of(rule)) return entry;
  }
  return nullptr;
}

Understood Turn::by_told_case(Understood u, const Reading& r) const {
  const bool unsure = u.kind == Understood::Kind::clarify && !u.options.empty();
  // (Unsure between entries of the same question's cases: NENU's
  // registration on and off campus both offered.)
  const bool cases_offered = unsure && [&] {
    for (const auto& a : u.options)
      for (const auto& b : u.options)
        for (const auto& row : a.faq->situation)
          if (std::any_of(b.faq->situation.begin(), b.faq->situation.end(), [&](const auto& kv) {
                return kv.first == row.first && kv.second != row.second;
              }))
            return true;
    return false;
  }();
  // (An entry with a row for the case; or, to settle topics offered, one of
  // that case alone: NENU's registration off campus for "我住校外 住宿登记
  // 要交什么材料", offered beside the dormitory's; if it gives what is
  // asked: not the X1 visa's entry for "what's the maximum fine"; nor a
  // case this message denies: "我不住校外，住宿登记要什么材料".)
  auto for_my_case = [&](const Faq& f) {
    return (f.by_case && std::any_of(f.by_case->rows.begin(), f.by_case->rows.end(),
                                     [&](const ByCase::Row& row) { return holds(row.set); })) ||
           (cases_offered && !f.situation.empty() && holds(f.situation) && (r.attributes.empty() || engine_.gives(f, r.attributes.front())) &&
            std::none_of(f.situation.begin(), f.situation.end(), [&](const auto& kv) {
              return std::find(denied_now_.begin(), denied_now_.end(), kv.first) != denied_now_.end();
            }));
  };
  if (st_.answers.empty() || !(u.kind == Understood::Kind::faq || unsure) || (u.faq != nullptr && for_my_case(*u.faq)))
    return u;
  // (Not a question of someone else: "给她办的话要去哪里" from a student who
  // renews is about his wife's first permit, not his own case.)
  if (asked_of_others_) return u;
  // (Nor "what is to be done" alone, answered with the entry just talked
  // about: "要办什么?" right after continuing one's studies on an X2 visa is
  // about that answer, not the X2 visa's entry its two words leave close.
  // "Where do i go to apply" after the procedure still asks for the case.)
  const std::size_t procedure = attribute_index("procedure");
  if (r.leftover == 0 && r.things.empty() && u.faq != nullptr && u.faq->id == st_.context.faq &&
      !r.attributes.empty() && std::all_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t a) { return a == procedure; }))
    return u;
  const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
  if (const Engine::Match* mine = close_behind(
          matches, [&](const Engine::Match& m) { return for_my_case(*m.faq); }, kContextEntryClose)) {
    u = answered_by(*mine->faq, u.asked);
  }
  return u;
}

void Turn::keep_told_case(const Analysis& message, std::string_view raw) {
  // (Not asked, nor of someone else, nor under "if": "do I upload a
  // contract if I live off campus?", "I came on an X2 visa, do I need a
  // residence permit?", "my friend rents a flat". Read only when a case is
  // said.)
  std::optional<bool> of_their_own;
  std::optional<std::vector<PhraseIndex::Hit>> others;
  // (`row`: the case said, whose own words may name someone else; none for
  // a deadline rule's case.)
  auto told = [&](const ByCase::Row* row) {
    if (!of_their_own)
      of_their_own = !has_question_mark(raw) && !read(message).asks && !engine_.says(Words::condition, message);
    if (!*of_their_own) return false;
    // (Someone else named only as the case itself: "我要给我丈夫办居留许可"
    // is the student's application for a family member.)
    if (!others) others = engine_.words(Words::others).find(message);
    return std::all_of(others->begin(), others->end(), [&](const PhraseIndex::Hit& h) {
      return row != nullptr && std::any_of(row->words.begin(), row->words.end(), [&](const std::string& w) {
        const auto at = find_phrase(message.text, w);
        return at != std::string_view::npos && at <= h.begin && h.end <= at + w.size();
      });
    });
  };
  for (const auto& faq : uni_->faq) {
    if (!faq.by_case) continue;
    const auto said = rows_said(*faq.by_case, message.text);
    if (said.size() != 1 || !told(said.front())) continue;
    for (const auto& [variable, value] : said.front()->set) st_.answers[variable] = value;
  }
  // "我刚来武汉读研 第一次办居留许可": the case a walkthrough question asks,
  // as if its option had been chosen, so a next step that depends on it is
  // said for them alone. Told before anything is asked counts too ("第一次
  // 办居留许可 要先体检吗", not "do i need the exam for my first permit?"),
  // and only one option of a question.
  // (Where the asking starts, and whether the message is of someone else
  // or under "if": read once, and only when an option's word is said.)
  std::optional<std::size_t> asked_from;
  auto told_before_asking = [&](std::size_t end) {
    if (!asked_from) {
      asked_from = message.text.size();
      for (const auto& h : engine_.words(Words::interrogatives).find(message)) asked_from = std::min(*asked_from, h.begin);
      if (const auto q = message.text.find('?'); q != std::string::npos) asked_from = std::min(*asked_from, q);
      if (engine_.says(Words::others, message) || engine_.says(Words::condition, message)) asked_from = 0;
    }
    return end <= *asked_from;
  };
  // Whether an option's words are said (told before asking), and whether
  // one of them is denied ("我不住校外"): one search per word.
  auto says_option = [&](const Option& option, bool& denied) {
    bool says = false;
    for (const auto& w : option.words) {
      const auto at = find_phrase(message.text, w);
      if (at == std::string_view::npos) continue;
      if (negated(message.text, at, negations())) denied = true;
      else if (told_before_asking(at + w.size())) says = true;
    }
    return says;
  };
  for (const auto& [id, node] : uni_->nodes) {
    const Option* said = nullptr;
    int count = 0;
    for (const auto& option : node.options) {
      bool denied = false;
      if (says_option(option, denied)) {
        said = &option;
        ++count;
      }
      // (An option denied is not told; nor is it left to the situation of
      // the entry the words rank first.)
      if (denied)
        for (const auto& [variable, value] : option.set) {
          told_now_.push_back(variable);
          denied_now_.push_back(variable);
        }
    }
    if (count == 1)
      for (const auto& [variable, value] : said->set) {
        st_.answers[variable] = value;
        told_now_.push_back(variable);
      }
  }
  // "我是从南京的学校转学过来的": the case of a deadline rule, for the date
  // told next ("12月1号到的徐州").
  for (const auto& rule : uni_->deadlines)
    if (!rule.case_set.empty() && says_case(message.text, rule.case_words) && told(nullptr))
      for (const auto& [variable, value] : rule.case_set) st_.answers[variable] = value;
}

// "what's the most he could be fined" after "my friend overstayed his
// residence permit by 30 days", with another answer between ("the police
// said the case is serious" chose the illegal-work fine's "serious
// cases"): the fine for overstaying, the one entry counting it by the day.
Understood Turn::by_overstay_told(Understood u, const Reading& r) const {
  // (Or the permit's expiry told, and passed: "my permit expired on 25
  // November ... what fine could I get" is the overstay's fine, not the
  // illegal-work fine that "最多" or "still here" rank first. Not an expiry
  // to come: "如果没办手续被查到 罚多少" after working off campus.)
  if ((st_.context.overstay.empty() && days_past_expiry() <= 0) || r.attributes.empty() ||
      common_.attributes[r.attributes.front()].id != "penalty")
    return u;
  if (u.kind == Understood::Kind::fact || (u.kind == Understood::Kind::faq && (u.faq->per_day || names_topic(r.analysis, *u.faq))))
    return u;
  const Faq* by_day = only_one(uni_->faq, [](const Faq& f) { return f.per_day.has_value(); });
  if (by_day == nullptr) return u;
  // (Nor an entry the question's words choose surely, with the overstay's
  // fine far behind: "what's the most he could be fined for working?" is
  // the illegal-work fine; "what fine could I get" is not.)
  if (u.kind == Understood::Kind::faq) {
    const auto matches = engine_.rank(uni_->id, r.analysis, 3);
    if (!matches.empty() && matches.front().faq == u.faq && matches.front().confidence >= Engine::kAnswer &&
        !close_behind(matches, [&](const Engine::Match& m) { return m.faq == by_day; }, kContextEntryClose))
      return u;
  }
  return answered_by(*by_day, r.attributes.front());
}

}  // namespace permit::dialogs
