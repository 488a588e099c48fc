// Reading a part of a message: the things it names, the attributes it
// asks, what it points back to, and how many words are left beyond those
// (answers.cpp decides what that asks for).

#include "dialogs/dates.hpp"
#include "dialogs/name_context.hpp"
#include "dialogs/permit_length.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <optional>

namespace permit::dialogs {
namespace {

// Covered byte ranges of a text.
struct Cover {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  void add(std::size_t b, std::size_t e) { ranges.emplace_back(b, e); }
  bool covers(std::size_t b, std::size_t e) const {
    return std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) { return r.first <= b && e <= r.second; });
  }
};

// Whether `gap` holds nothing but the words that join a list, and one
// name at most of a thing the page does not list: "[letter] and the"
// between "after i have the" and "photo receipt"; "公函和"; whose it is:
// "学校" in "拿到学校公函以后可以去哪里办".
bool only_joiners(std::string_view gap) {
  int other = 0;
  while (!gap.empty()) {
    bool joiner = false;
    for (std::string_view w : {" ", ",", "and", "the", "my", "a", "和", "、", "以及", "及", "学校的", "学校", "的",
                               "school's", "university's", "uni's"}) {
      if (!gap.starts_with(w)) continue;
      const bool latin = std::isalpha(static_cast<unsigned char>(w[0])) != 0;
      const bool whole = !latin || gap.size() == w.size() || !std::isalpha(static_cast<unsigned char>(gap[w.size()]));
      if (whole) {
        gap.remove_prefix(w.size());
        joiner = true;
        break;
      }
    }
    if (joiner) continue;
    // Another word: an English word, or one character.
    std::size_t length = 1;
    if (std::isalpha(static_cast<unsigned char>(gap[0])))
      while (length < gap.size() && std::isalpha(static_cast<unsigned char>(gap[length]))) ++length;
    else
      while (length < gap.size() && (static_cast<unsigned char>(gap[length]) & 0xC0) == 0x80) ++length;
    if (++other > 1) return false;
    gap.remove_prefix(length);
  }
  return true;
}

// Whether one of `hits` ends right before `at`, with only spaces between:
// "with the" before "letter" in "where do i go with the letter".
bool right_before(const std::vector<PhraseIndex::Hit>& hits, std::string_view text, std::size_t at) {
  return std::any_of(hits.begin(), hits.end(), [&](const PhraseIndex::Hit& h) {
    return h.end <= at && text.substr(h.end, at - h.end).find_first_not_of(' ') == std::string_view::npos;
  });
}

// "my passport is fine", "it's fine now", "all fine": fine as "all right",
// not a penalty asked about ("is there a fine", "how much is the fine").
bool fine_as_ok(std::string_view text, const PhraseIndex::Hit& h) {
  if (text.substr(h.begin, h.end - h.begin) != "fine") return false;
  std::string_view before = text.substr(0, h.begin);
  while (before.ends_with(" ")) before.remove_suffix(1);
  for (std::string_view w : {"is", "am", "are", "was", "were", "be", "been", "its", "it's", "all", "looks", "seems",
                             "still", "totally", "ok", "s"})
    if (before.ends_with(w) && (before.size() == w.size() || before[before.size() - w.size() - 1] == ' ' ||
                                before[before.size() - w.size() - 1] == '\''))
      return true;
  return false;
}

}  // namespace

Reading Turn::read(const std::string& part) const { return read(engine_.analyse(part)); }

bool Turn::asks_by_words(const Analysis& a) const {
  return has_question_mark(a.text) || engine_.says(Words::interrogatives, a);
}

Reading Turn::read(Analysis analysis) const {
  Reading r;
  r.analysis = std::move(analysis);
  const Analysis& a = r.analysis;
  Cover cover;
  std::vector<PhraseIndex::Hit> things;
  if (uni_ != nullptr) things = without_overlaps(engine_.things_in(uni_->id, a));
  for (const auto& h : things) cover.add(h.begin, h.end);
  // "I'm at the immigration office (now)", "我在出入境": where the student
  // is; a place named right after the words.
  if (!things.empty())
    for (const auto& b : engine_.words(Words::being_at).find(a)) {
      std::string_view gap;
      const auto next = std::find_if(things.begin(), things.end(), [&](const PhraseIndex::Hit& h) { return h.begin >= b.end; });
      if (next == things.end()) break;
      gap = std::string_view(a.text).substr(b.end, next->begin - b.end);
      for (std::string_view w : {" ", "the ", "了"})
        if (gap.starts_with(w)) gap.remove_prefix(w.size());
      while (gap.starts_with(" ")) gap.remove_prefix(1);
      if (gap.empty() && !negated(a.text, b.begin, negations())) r.here = &uni_->things[next->id];
    }
  // "Where do I hand in my docs at the immigration office?": where inside
  // the place named after "at".
  for (const auto& h : things)
    if (std::string_view before = std::string_view(a.text).substr(0, h.begin);
        before.ends_with("at the ") || before.ends_with("inside the ") || before.ends_with("in the "))
      r.within = &uni_->things[h.id];
  // "然后干啥": asks the next step, not the steps (its "干啥"). (Chinese
  // only: "what else do i have to do now" still asks what is to be done.)
  const auto next_words = engine_.words(Words::next_step).find(a);
  for (const auto& h : next_words)
    if (static_cast<unsigned char>(a.text[h.begin]) >= 0x80) cover.add(h.begin, h.end);
  // The attributes' words, found once: read below, and for the fine.
  const auto attribute_hits = engine_.attribute_words().find(a);
  auto asks_attribute = [&](std::string_view id) {
    return std::any_of(attribute_hits.begin(), attribute_hits.end(),
                       [&](const PhraseIndex::Hit& h) { return common_.attributes[h.id].id == id; });
  };
  // "My passport got stolen on the metro": where it happened, not a
  // question of the way there (which "how do i go to the police station
  // on the bus" still is: only beside a loss, or a thing left behind, "i
  // left my residence permit on the bus", "落在出租车上了").
  if (asks_attribute("transport") && (asks_attribute("loss") || engine_.says(Words::left_behind, a)))
    for (const auto& h : engine_.words(Words::where_it_happened).find(a)) cover.add(h.begin, h.end);
  // An attribute's word inside a thing's name ("材料" in "纸质材料") is
  // part of the name.
  std::size_t asked_at = std::string::npos;
  bool asks_which = false;  // ...and the first attribute asked is "which"
  const std::size_t name_attribute = attribute_index("name"), contact = attribute_index("contact");
  for (auto h : attribute_hits) {
    if (cover.covers(h.begin, h.end)) continue;
    if (fine_as_ok(a.text, h)) continue;
    // "What's the police station for on-campus students called?": its
    // name, not whom to call.
    const bool what_called = h.id == contact &&
                             std::string_view(a.text).substr(h.begin, h.end - h.begin) == "called" &&
                             (a.text.starts_with("what") || a.text.find(" what") < h.begin);
    if (what_called) h.id = name_attribute;
    // "Which" asks for a name only right before one: "which police
    // station?", not "which counter at the office?".
    // ("派出所叫什么" names it after.)
    else if (h.id == name_attribute && common_.attributes[h.id].id == "name" &&
             !std::string_view(a.text).substr(h.begin).starts_with("叫")) {
      auto is_next = [&](const PhraseIndex::Hit& t) {
        std::string_view between = std::string_view(a.text).substr(h.end, t.begin >= h.end ? t.begin - h.end : 0);
        while (between.starts_with(" ")) between.remove_prefix(1);
        return t.begin >= h.end && (between.empty() || between == "the ");
      };
      if (std::none_of(things.begin(), things.end(), is_next)) continue;
    }
    cover.add(h.begin, h.end);
    if (asked_at == std::string::npos) {
      asked_at = h.begin;
      asks_which = h.id == name_attribute;
    }
    if (std::find(r.attributes.begin(), r.attributes.end(), h.id) == r.attributes.end()) r.attributes.push_back(h.id);
  }
  std::sort(r.attributes.begin(), r.attributes.end());  // the order of common.json is the precedence
  // "罚多少钱", "how much is the fine": the fine's amount, not a fee as
  // well; unless a fee is named ("the fee and the fine"), or the amount is
  // asked apart from the fine ("延期要多少钱 晚了会罚款吗": a fee, and
  // whether there is a fine).
  const std::size_t penalty = attribute_index("penalty"), fee = attribute_index("fee");
  if (std::find(r.attributes.begin(), r.attributes.end(), penalty) != r.attributes.end()) {
    const auto amounts = engine_.words(Words::amount).find(a);
    // (Beside a word of the fine, with nothing between that ends a clause.)
    auto beside_fine = [&](const PhraseIndex::Hit& m) {
      return std::any_of(attribute_hits.begin(), attribute_hits.end(), [&](const PhraseIndex::Hit& p) {
        if (p.id != penalty) return false;
        const std::size_t from = std::min(p.end, m.end), to = std::max(p.begin, m.begin);
        const std::string_view gap = std::string_view(a.text).substr(from, to > from ? to - from : 0);
        const bool chinese = static_cast<unsigned char>(a.text[p.begin]) >= 0x80;
        constexpr std::size_t kGapAtMost = 12;  // "how much is the fine", "罚款是多少"
        return gap.size() <= kGapAtMost && (!chinese || gap.find(' ') == std::string_view::npos) &&
               gap.find_first_of(",.;!?") == std::string_view::npos && gap.find("，") == std::string_view::npos;
      });
    };
    r.amount = std::any_of(amounts.begin(), amounts.end(), beside_fine);
    // (A fee's word inside the fine's own, "late fee", is the fine's.)
    auto within = [](const PhraseIndex::Hit& h, const PhraseIndex::Hit& m) { return m.begin <= h.begin && h.end <= m.end; };
    const bool fee_only_amount = std::all_of(attribute_hits.begin(), attribute_hits.end(), [&](const PhraseIndex::Hit& h) {
      return h.id != fee ||
             std::any_of(amounts.begin(), amounts.end(), [&](const PhraseIndex::Hit& m) { return within(h, m) && beside_fine(m); }) ||
             std::any_of(attribute_hits.begin(), attribute_hits.end(),
                         [&](const PhraseIndex::Hit& p) { return p.id == penalty && within(h, p) && p.end - p.begin > h.end - h.begin; });
    });
    if (r.amount && fee_only_amount) std::erase(r.attributes, fee);
  }
  // "If I get to the health centre at 11:30 on a Tuesday, can I still do
  // the blood test?": a place and a time of day, with nothing else asked,
  // ask whether the place is open then: its hours. Not "how do I get to
  // the office? my train arrives at 10:00" (the way there), nor "I moved
  // at 3pm" (no place).
  std::pair<std::size_t, std::size_t> time_at;
  if (find_time_of_day(a.text, &time_at)) {
    cover.add(time_at.first, time_at.second);  // "10点": said, not asked about
    const std::size_t transport = attribute_index("transport");
    const bool only_if_there =
        r.attributes.empty() ||
        (r.attributes.size() == 1 && r.attributes.front() == transport &&
         engine_.says(Words::condition, a));
    if (only_if_there && !things.empty()) r.attributes = {attribute_index("hours")};
  }
  // "Can I go today?" after the hospital, "明天去可以吗": a day and going
  // there, with nothing else asked, ask whether the place is open that day.
  // (Not "I moved today": a word that says what the date is makes it one,
  // unless the student asks whether they may go: "can i go do the
  // physical exam today".)
  if (r.attributes.empty() && engine_.says(Words::going, a) &&
      (engine_.date_words().find(a).empty() || engine_.says(Words::go_there, a))) {
    const auto days = find_relative_dates(a.text, today_);
    for (const auto& d : days) cover.add(d.begin, d.end);
    if (!days.empty()) r.attributes = {attribute_index("hours")};
    if (days.size() == 1 && days.front().status == DateFound::Status::found) r.day = days.front().date;
  }
  // "A taxi there from the dormitory": where one comes from is not what
  // the question is about; but "what paper do I need from the police?"
  // asks for what that place gives.
  const bool gets_from = std::any_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t i) {
    return common_.attributes[i].id == "documents" || common_.attributes[i].id == "contact";
  });
  // "Got the form from the police station": progress told; where a thing
  // done came from is one of the things done.
  // (Not "still havent handed in the copy". Only where nothing is asked
  // of a thing: progress told is a statement.)
  std::vector<PhraseIndex::Hit> done;
  // ("以后", "之后": read once, for what is done and what comes after.)
  const auto afterwards =
      r.attributes.empty() ? engine_.words(Words::afterwards).find(a) : std::vector<PhraseIndex::Hit>{};
  if (r.attributes.empty()) {
    done = engine_.words(Words::have_done).find(a);
    std::erase_if(done, [&](const PhraseIndex::Hit& h) { return negated(a.text, h.begin, negations()); });
    // ("拿到公函以后去哪": when, in the same clause, not progress told.)
    std::erase_if(done, [&](const PhraseIndex::Hit& h) {
      return std::any_of(afterwards.begin(), afterwards.end(), [&](const PhraseIndex::Hit& w) {
        return w.begin >= h.end && std::string_view(a.text).substr(h.end, w.begin - h.end).find(' ') == std::string_view::npos;
      });
    });
    r.tells_done = !done.empty();
  }
  if (!gets_from && !(r.tells_done && r.attributes.empty()))
    std::erase_if(things, [&](const PhraseIndex::Hit& h) {
      return named_as_origin(engine_, std::string_view(a.text).substr(0, h.begin));
    });
  // "After I get the letter, how many days to give the copy?": what the
  // student will have got is when, not what the question is about.
  // So is all it lists before the question: "after i have the letter and
  // the photo receipt where do i submit everything".
  // (Only things joined by "and", "," or "和" right after it: "after i get
  // the letter i take it to the exit-entry bureau, what are the opening
  // hours" asks about the bureau.)
  // (But "拿到公函之后要干啥" asks the step after the letter.)
  bool next_after_listed = false;
  if (!r.attributes.empty() && !engine_.says(Words::next_step, a)) {
    std::vector<std::pair<std::size_t, std::size_t>> listed;  // spans of things listed after "after i have the"
    // Chinese wraps them: "拿到公函以后去哪办" (not "什么时候能拿到公函",
    // which asks about the letter).
    std::optional<std::vector<PhraseIndex::Hit>> afterwards;  // found once, if a Chinese one needs them
    for (const auto& g : engine_.words(Words::after_getting).find(a)) {
      // ("还没拿完公函 去哪拿": not got yet.)
      if (negated(a.text, g.begin, negations())) continue;
      std::size_t from = g.end;
      const std::size_t first = listed.size();
      for (const auto& h : things) {  // in order of where they start
        if (h.begin < from) continue;
        if (!only_joiners(std::string_view(a.text).substr(from, h.begin - from))) break;
        listed.emplace_back(h.begin, h.end);
        from = h.end;
      }
      const bool chinese = static_cast<unsigned char>(a.text[g.begin]) >= 0x80;
      if (chinese && !afterwards) afterwards = engine_.words(Words::afterwards).find(a);
      // (Or a pause before the question: "拿完公函 去哪办居留".)
      const std::string_view rest = std::string_view(a.text).substr(from);
      const bool pause = listed.size() > first && (rest.starts_with(" ") || rest.starts_with(",") || rest.starts_with("，"));
      if (chinese && !pause &&
          std::none_of(afterwards->begin(), afterwards->end(), [&](const auto& w) { return w.begin == from; }))
        listed.resize(first);
      // "拿到公函以后去哪办": where to go after the letter is the step
      // after it.
      else if (chinese && listed.size() > first && common_.attributes[r.attributes.front()].id == "address") {
        listed.resize(first);
        next_after_listed = true;
      }
    }
    std::erase_if(things, [&](const PhraseIndex::Hit& h) {
      return std::find(listed.begin(), listed.end(), std::pair{h.begin, h.end}) != listed.end();
    });
  }
  // "派出所的表和照片回执都拿到了 材料交到哪里": what the student says they
  // already have is done; the question after it is about what comes next.
  // (But "公函拿到了 下一步去哪儿办" asks the step after what it has.)
  if (asked_at != std::string::npos && !engine_.says(Words::next_step, a))
    for (const auto& done : engine_.words(Words::already_have).find(a))
      if (done.end <= asked_at) std::erase_if(things, [&](const PhraseIndex::Hit& h) { return h.end <= done.begin; });
  // "hw much is a taxi there frm the dorm": a place named as where one
  // sets out from is not the place asked about, when another is named or
  // pointed at ("there").
  auto origin = [&](const PhraseIndex::Hit& h) {
    const std::string_view before = std::string_view(a.text).substr(0, h.begin);
    return named_as_origin(engine_, before);
  };
  if (std::any_of(things.begin(), things.end(), origin) &&
      (std::any_of(things.begin(), things.end(), [&](const auto& h) { return !origin(h); }) ||
       engine_.says(Words::pointers, a)))
    std::erase_if(things, origin);
  // Of several things named, the one asked about is the nearest to the
  // attribute: "where do I apply for the permit after getting the letter"
  // asks about the permit, "出入境管理局几点开门" about the office before it.
  if (asked_at != std::string::npos) {
    // English names what it asks about after the question word ("where is
    // the office"), Chinese before it ("出入境在哪里"), but after "哪个"
    // ("住宿舍的是哪个派出所"): the other side counts as farther.
    const bool chinese = static_cast<unsigned char>(a.text[asked_at]) >= 0x80 && !asks_which;
    constexpr std::size_t kOtherSide = 1000;
    std::stable_sort(things.begin(), things.end(), [&](const auto& x, const auto& y) {
      auto distance = [&](const PhraseIndex::Hit& h) {
        const bool after = h.begin >= asked_at;
        const std::size_t d = after ? h.begin - asked_at : asked_at - std::min(asked_at, h.end);
        return after == !chinese ? d : d + kOtherSide;
      };
      return distance(x) < distance(y);
    });
  }
  for (const auto& h : things) {
    const Thing* t = &uni_->things[h.id];
    if (std::find(r.things.begin(), r.things.end(), t) == r.things.end()) r.things.push_back(t);
  }
  // Of the things named, those told as done: the object of a word of
  // having done it in the same clause (English after it, Chinese either
  // side), with no negation between ("got the form from the police station
  // but not the photo receipt yet": the station only; "照片回执拿到了，派
  // 出所的表还没拿": the photo only).
  auto holds_between = [&](std::size_t from, std::size_t to, bool negation) {
    const std::string_view span = std::string_view(a.text).substr(from, to - from);
    for (std::string_view mark : {",", "，", ".", "。", ";", "；", "!", "！", "?", "？", " but "})
      if (span.find(mark) != std::string_view::npos) return true;
    if (!negation) return false;
    return std::any_of(negations().begin(), negations().end(),
                       [&](const std::string& w) { return contains_phrase(span, w); });
  };
  for (const auto& h : things)
    for (const auto& d : done) {
      const bool chinese = static_cast<unsigned char>(a.text[d.begin]) >= 0x80;
      // (Chinese either way: "照片回执拿到了", "我拿到了南山派出所的住宿登记表".)
      const bool after_it = d.end <= h.begin && !holds_between(d.end, h.begin, true);
      const bool before_it = h.end <= d.begin && !holds_between(h.end, d.begin, true);
      const bool object = chinese ? after_it || before_it : after_it;
      const Thing* t = &uni_->things[h.id];
      if (object && std::find(r.done.begin(), r.done.end(), t) == r.done.end()) r.done.push_back(t);
    }
  for (const auto& h : engine_.words(Words::pointers).find(a)) {
    cover.add(h.begin, h.end);
    // ("what happens after it's approved": the subject of what will have
    // happened to the application, not the thing of the last answer; the
    // question asks what comes after.)
    const std::string_view before = std::string_view(a.text).substr(0, h.begin);
    const std::string_view after = std::string_view(a.text).substr(h.end);
    if ((before.ends_with("after ") || before.ends_with("once ")) &&
        (after.starts_with("'s ") || after.starts_with(" is ") || after.starts_with(" gets ") ||
         after.starts_with(" has been ")))
      continue;
    r.refers_back = true;
    // "that office": the word after the pointer, when it is in the name of
    // a thing of this page (not "that is", "that way").
    const auto next = std::find_if(a.words.begin(), a.words.end(), [&](const Word& w) { return w.begin > h.end; });
    if (uni_ != nullptr && next != a.words.end() && next->begin == h.end + 1 && r.pointed_as.empty() &&
        engine_.names_word(uni_->id, next->text))
      r.pointed_as = next->text;
  }
  if (!next_words.empty()) r.asks_next = true;
  // "what do I do after I get the official letter", "what do i do after
  // the physical examination?", "体检以后要做什么": what to do after a thing
  // (got, or done) is the step after it.
  if (!r.asks_next && r.attributes.empty() && !things.empty() && engine_.says(Words::what_to_do, a)) {
    const auto got = engine_.words(Words::after_getting).find(a);
    r.asks_next = std::any_of(things.begin(), things.end(), [&](const PhraseIndex::Hit& h) {
      const std::string_view before = std::string_view(a.text).substr(0, h.begin);
      const bool after_getting = std::any_of(got.begin(), got.end(), [&](const PhraseIndex::Hit& g) {
        return h.begin >= g.end && !negated(a.text, g.begin, negations()) &&
               only_joiners(std::string_view(a.text).substr(g.end, h.begin - g.end));
      });
      return after_getting || before.ends_with("after ") || before.ends_with("after the ") ||
             before.ends_with("after my ") ||
             std::any_of(afterwards.begin(), afterwards.end(), [&](const PhraseIndex::Hit& w) { return w.begin == h.end; });
    });
  }
  // "got the letter from uni, now what": only at the end of the message
  // ("I'm at the photo studio now, what do I need..." asks something else).
  auto only_marks = [](std::string_view rest) {
    // (By characters: a set of bytes would take any character sharing a
    // byte with "？" for a mark.)
    for (bool more = true; more && !rest.empty();) {
      more = false;
      for (std::string_view mark : {" ", "?", "？", "!", "！", ".", "。"})
        if (rest.starts_with(mark)) {
          rest.remove_prefix(mark.size());
          more = true;
        }
    }
    return rest.empty();
  };
  for (const auto& h : engine_.words(Words::next_step_at_end).find(a))
    if (only_marks(std::string_view(a.text).substr(h.end))) {
      cover.add(h.begin, h.end);
      r.asks_next = true;
    }
  // "现在拿着公函去哪里", "where do I go with the letter": where a thing is
  // taken next is the step after it, not the thing's own address.
  if (!things.empty() && engine_.says(Words::where_to_take, a)) {
    const auto carrying = engine_.words(Words::carrying).find(a);
    for (const auto& h : things)
      if (right_before(carrying, a.text, h.begin)) r.asks_next = true;
  }
  if (next_after_listed) r.asks_next = true;
  for (const auto& h : engine_.words(Words::question_words).find(a)) cover.add(h.begin, h.end);
  // "Is", "can", "do" ask only at the start of the message ("is there a
  // fee?", not "my passport is E123"), or of a later clause when a subject
  // follows ("first permit, do i need the exam?"; not "hi, is my first
  // time", "sorry, can't come"); "what", "哪", "吗" anywhere.
  // (The subjects are read only for an "is" past a comma.)
  std::optional<std::vector<PhraseIndex::Hit>> subjects;
  auto asks_in_clause = [&](const PhraseIndex::Hit& h) {
    std::string_view before = std::string_view(a.text).substr(0, h.begin);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    constexpr std::string_view kClauseEnds[] = {",", "，", ";", ".", "。", "!", "！"};
    if (std::none_of(std::begin(kClauseEnds), std::end(kClauseEnds), [&](std::string_view e) { return before.ends_with(e); }))
      return false;
    if (!subjects) subjects = engine_.words(Words::subjects).find(a);
    return std::any_of(subjects->begin(), subjects->end(), [&](const PhraseIndex::Hit& s) { return s.begin == h.end + 1; });
  };
  for (const auto& h : engine_.words(Words::interrogatives).find(a)) {
    if (h.begin == 0 || !is_inverted(std::string_view(a.text).substr(h.begin, h.end - h.begin)) || asks_in_clause(h))
      r.asks = true;
  }
  r.step = step_named(a.text);
  // "Never did an extension before, where do I start?": the first step;
  // at the end of its clause ("how do i start the online application"
  // asks about that application).
  auto clause_ends = [&](std::string_view rest) {
    while (rest.starts_with(" ")) rest.remove_prefix(1);
    return rest.empty() || rest.starts_with(",") || rest.starts_with("，") || only_marks(rest);
  };
  // (Nor when all that follows is the permit itself: "where do i start
  // with the residence permit".)
  auto permit_only = [&](std::size_t from) {
    if (uni_ == nullptr) return false;
    for (const auto& t : things)
      if (uni_->things[t.id].main && t.begin >= from) {
        const std::string_view between = std::string_view(a.text).substr(from, t.begin - from);
        const bool joined = between == " with the " || between == " with my " || between == " for the " ||
                            between == " for my " || between == " with " || between == " for ";
        return joined && clause_ends(std::string_view(a.text).substr(t.end));
      }
    return false;
  };
  // ("第一步要干嘛": step 1 by its number too, whose words are then
  // covered.)
  if (r.step <= 1)
    for (const auto& h : engine_.words(Words::first_step).find(a))
      if (clause_ends(std::string_view(a.text).substr(h.end)) || permit_only(h.end)) {
        cover.add(h.begin, h.end);
        r.step = 1;
      }
  r.asks = r.asks || !r.attributes.empty() || r.asks_next || r.step > 0;
  for (const auto& w : a.words) {
    const bool number = std::all_of(w.text.begin(), w.text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (number || is_stopword(w.text) || cover.covers(w.begin, w.end)) continue;
    ++r.leftover;
    r.leftover_stems.push_back(w.stem);
    if (uni_ != nullptr && !engine_.knows(uni_->id, w.stem)) ++r.unknown;
  }
  int cjk = 0;
  for (std::size_t i = 0; i < a.text.size();) {
    const std::size_t start = i;
    const char32_t c = next_code_point(a.text, i);
    if (is_cjk(c) && !cover.covers(start, i)) ++cjk;
  }
  r.leftover += (cjk + 1) / 2;  // about two characters to a word
  return r;
}

}  // namespace permit::dialogs
