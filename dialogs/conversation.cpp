// One message of the conversation: the order in which the engine tries to
// understand it (a pending confirmation, a command, a numbered choice, a
// university, a date, a walkthrough command, a question), and the small
// pieces every part of a turn uses.

#include "dialogs/closeness.hpp"
#include "dialogs/name_context.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <utility>

namespace permit::dialogs {

namespace {
// Whether the student speaks of their own place: "here", "我这".
bool says_here(const Engine& engine, std::string_view text) {
  const auto& here = engine.listed(Words::here);
  return std::any_of(here.begin(), here.end(), [&](std::string_view w) { return contains_phrase(text, w); });
}
}  // namespace

Turn::Turn(const Engine& engine, StudentState& state, Outcome& out, std::chrono::system_clock::time_point now)
    : engine_(engine),
      common_(engine.scripts().common),
      st_(state),
      out_(out),
      today_(std::chrono::floor<std::chrono::days>(now)),
      minutes_(std::chrono::duration_cast<std::chrono::minutes>(now.time_since_epoch()).count()),
      uni_(engine.university(state.university)),
      lang(state.pinned.value_or(state.last)) {
  if (uni_ == nullptr) st_.university.clear();
  // What a conversation was about is only worth something for a while.
  if (minutes_ - st_.context.at > StudentState::Context::kLifetime || minutes_ < st_.context.at) {
    stale_thing_ = !st_.context.thing.empty();
    clear_context();
  }
  thing_at_start_ = st_.context.thing;
}

std::string Turn::reply() const {
  std::string joined;
  for (const auto& p : parts_) {
    if (!joined.empty()) joined += "\n\n";
    joined += p;
  }
  return joined;
}

std::string Turn::text(const std::string& key, const Fill& values) const { return text(common_.text(key), values); }

std::string Turn::text(const Text& pattern, const Fill& values) const {
  Fill all = values;
  if (uni_ != nullptr) {
    all.emplace_back("university", uni_->short_name.in(lang));
    all.emplace_back("office", uni_->office.in(lang));
    all.emplace_back("document", uni_->document.in(lang));
  }
  return fill(pattern.in(lang), all);
}

void Turn::welcome() {
  if (uni_ != nullptr) return menu();
  say(text("welcome", {{"list", university_list()}}));
}

void Turn::unsupported() { say(text("unsupported")); }

std::string Turn::source_ref(const Source& s) const {
  // A common entry may cite a source too, with no university to name.
  if (uni_ == nullptr) return s.ref.in(lang);
  return uni_->document.in(lang) + (lang == Lang::zh ? "，" : ", ") + s.ref.in(lang);
}

std::string Turn::source_line(const Source& s) const { return text("source", {{"source", source_ref(s)}}); }

void Turn::menu() { say(text("menu")); }

void Turn::handle_voice(const std::string& recognition) {
  // The platform's speech recognition, when the account has it: read as
  // text, and the reply says what was heard, so a mishearing shows.
  if (normalise(recognition).empty()) return say(text("voice_unrecognised"));
  if (!st_.pinned && has_cjk(recognition)) lang = Lang::zh;
  say(text("voice_heard", {{"heard", recognition}}));
  handle_text(recognition);
}

void Turn::handle_text(const std::string& raw) {
  const std::string norm = normalise(raw);
  if (!st_.pinned) {
    if (has_cjk(raw)) lang = Lang::zh;
    else if (std::any_of(norm.begin(), norm.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); }))
      lang = Lang::en;
  }
  std::vector<std::string> choices = std::move(st_.choices);
  st_.choices.clear();
  asked_back_ = !choices.empty();
  offered_ = choices;
  // The date kind the last reply asked for holds for this message only.
  awaiting_ = std::exchange(st_.context.awaiting, "");
  before_ = std::exchange(st_.context.before, "");
  if (before_.starts_with(kElsewhere)) answered_there_ = before_;
  statement_ = std::exchange(st_.context.statement, "");

  if (st_.confirming_delete) {
    st_.confirming_delete = false;
    if (command(norm, "yes")) {
      const std::string university = st_.university;
      const auto messages = st_.messages;
      st_ = StudentState{};
      st_.messages = messages;  // keeps the state moving forward, nothing personal
      uni_ = nullptr;
      out_.effects.push_back({Effect::Kind::forget_student, university, lang_code(lang), "", "", "", {}});
      return say(text("delete_done"));
    }
    say(text("delete_cancelled"));
    if (command(norm, "no")) return;
  }
  if (norm.empty()) {
    // "?" alone asks for help; punctuation is otherwise dropped.
    if (has_question_mark(raw)) return say(text("help"));
    return say(text("ask_question"));
  }
  // A command is the whole message, never a word inside a question: "I
  // lost my passport" is not about the privacy notice, "help me with my
  // extension" is not the help command.
  if (command(norm, "english") || command(norm, "chinese")) {
    lang = command(norm, "english") ? Lang::en : Lang::zh;
    st_.pinned = lang;
    return say(text("language_set"));
  }
  if (command(norm, "delete")) {
    st_.confirming_delete = true;
    return say(text("delete_confirm"));
  }
  if (command(norm, "help")) return say(text("help"));
  if (command(norm, "stop_reminders")) {
    out_.effects.push_back({Effect::Kind::stop_reminders, st_.university, lang_code(lang), "", "", "", {}});
    return say(text("reminders_stopped"));
  }
  if (command(norm, "change_university")) return say(text("choose_university", {{"list", university_list()}}));

  if (int n = parse_small_number(norm); n > 0 && !choices.empty()) {
    const Node* here = current();
    const bool at_question = here != nullptr && here->kind == Node::Kind::question;
    if (static_cast<std::size_t>(n) <= choices.size() || !at_question) {
      st_.choices = std::move(choices);
      return choose(n);
    }
  }

  // Texting forms written out and spelling corrected, once for every
  // reader below.
  Analysis analysis = without_places_left(engine_.analyse(raw));
  // "in English pls: 体检需要空腹吗": this reply in the language asked for
  // (a whole message of it pins the language: see the command above).
  if (!st_.pinned) {
    if (engine_.says(Words::reply_in_english, analysis)) lang = Lang::en;
    else if (engine_.says(Words::reply_in_chinese, analysis)) lang = Lang::zh;
  }
  std::string message = raw;
  const UniversityNames names = names_in(analysis.text);
  std::string rest = strip_filler(names.rest);
  // "东北师大和重邮的居留许可费分别是多少", "which one takes Alipay, NENU or
  // CQUPT?": a question about two universities or more is answered at
  // each, without choosing one.
  // (With a date only when its meaning is clear: "我的居留许可2027年1月31
  // 日到期 如果在重邮和江苏师范 分别最晚哪天申请" is counted at each, and
  // kept at neither.)
  if (auto named = names.named(); named.size() >= 2 && !rest.empty() && read(rest).asks) {
    const Analysis asked = engine_.analyse(rest);
    const auto dates = find_dates(asked.text, today_);
    if (dates.empty() || dates_clear(asked, dates)) return answer_at_each(named, rest, raw);
  }
  // "Is it the same at the other unis?", "其他学校也是吗": every university
  // but the student's, the question asked at each (the last one again, if
  // it asks only that). (Asked as a comparison: "i transferred from one of
  // the other schools" tells a case.)
  if (uni_ != nullptr && names.found.empty())
    if (const auto others = engine_.words(Words::other_universities).find(analysis);
        !others.empty() && (engine_.says(Words::the_same, analysis) || engine_.says(Words::asked_again, analysis) ||
                            analysis.text.find("any of") != std::string::npos)) {
      // (Only with something to ask there: the last question, or one of
      // its own.)
      const std::string last = last_answered(st_.university);
      std::string question = blanked(analysis.text, others);
      const Reading own = read(question);
      // ("What about the others": nothing of its own, the last question.)
      if (own.attributes.empty() && own.things.empty() && own.leftover == 0) question = "the same question";
      if (!last.empty() || !own.attributes.empty() || !own.things.empty() || own.leftover > 0) {
        std::vector<const University*> each;
        for (const University& u : engine_.scripts().universities)
          if (&u != uni_) each.push_back(&u);
        return answer_at_each(each, question, raw, last);
      }
    }
  if (const University* named = names.chosen(uni_ != nullptr)) {
    if (rest.empty()) return pick_university(*named);
    // "Sorry, wrong one, I'm at HUST": naming another university without
    // asking anything is a switch.
    // But "and at CQUPT?", "那华科呢": the question just asked, there.
    const bool asks_again = has_question_mark(raw) || rest.find("呢") != std::string::npos || asks_it_again(names.rest);
    // Nor "说错了 我是东北师范的 下周一去出入境交材料": a correction of the
    // student's own university without a question word is a switch,
    // whatever it tells or asks for ("sorry wrong uni im at NENU, the
    // hospital address pls": answered there); so is one that says the
    // university is theirs ("说错了 我是东北师范的 体检医院在哪", "i'm at"),
    // whatever it asks. (Not a friend's: "说错了 我朋友是重邮的".)
    // (Someone else's only when named before the university: "my wife"
    // in "sorry wrong uni im at NENU, can my wife apply too" is asked
    // about.)
    std::size_t named_at = analysis.text.size(), named_end = analysis.text.size();
    for (const auto& f : names.found)
      if (f.university == named && f.named > 0 && f.at < named_at) {
        named_at = f.at;
        named_end = f.at + f.named;
      }
    const auto others = engine_.words(Words::others).find(analysis);
    // ("wrong uni, she's at JSNU": a third person too.)
    const auto third = engine_.words(Words::third_person).find(analysis);
    // ...or right after it, as theirs: "东北师范的朋友说...", "my nenu friend".
    auto theirs = [&](const PhraseIndex::Hit& h) {
      if (h.begin < named_end) return false;
      const std::string_view between = std::string_view(analysis.text).substr(named_end, h.begin - named_end);
      return between == "的" || between == " " || between == "大学的" || between == "大的";
    };
    const bool of_others =
        std::any_of(others.begin(), others.end(), [&](const PhraseIndex::Hit& h) { return h.begin < named_at || theirs(h); }) ||
        std::any_of(third.begin(), third.end(), [&](const PhraseIndex::Hit& h) { return h.begin < named_at; });
    const auto corrects = [&] {
      const bool their_own = rest != names.rest;  // "i'm at", "我是...的": a filler said it
      return engine_.says(Words::correction, analysis) && !of_others &&
             (their_own || !engine_.says(Words::interrogatives, engine_.analyse(rest)));
    };
    const bool correction = uni_ != nullptr && named != uni_ && !asks_again && corrects();
    // (Not someone else's university: "my cousin is at NENU" keeps the
    // student's own, and asks the last question there, below.)
    // (A choice asks too: "CPU的学期注册是用电脑还是手机" is asked there;
    // not "still": "我还是在华科读书" is a switch.)
    const bool asks = read(rest).asks || [&] {
      const Analysis told = engine_.analyse(rest);
      for (const auto& h : engine_.words(Words::choices).find(told)) {
        const std::string_view before = std::string_view(told.text).substr(0, h.begin);
        const std::string_view after = std::string_view(told.text).substr(h.end);
        const bool still = before.empty() || before.ends_with("我") || before.ends_with("我们") || before.ends_with("也") ||
                           before.ends_with(" ") || after.empty() || after.starts_with("在") || after.starts_with("是");
        if (!still) return true;
      }
      return false;
    }();
    if (uni_ != nullptr && named != uni_ && (!asks || correction) && !asks_again &&
        (!of_others || correction)) {
      pick_university(*named);
      // "actually i'm at cqupt now, my permit expires jan 5 2027": the
      // date told with the switch is noted there.
      const Analysis told = engine_.analyse(rest);
      if (handle_dates(told)) return;
      if (!correction) {
        // "现在我转学到江苏师范大学了": a case of a dated rule told with the
        // switch (a transfer) gets that rule's entry (ten days from arrival).
        keep_told_case(told, rest);
        for (const DatedRule& rule : uni_->deadlines)
          if (!rule.case_words.empty() && says_case(told.text, rule.case_words) && !engine_.says(Words::others, told))
            if (const Faq* entry = entry_of(rule)) return answer_faq(*entry);
        return;
      }
      // What it asks, without the words that corrected ("说错了 ... 派出所在哪";
      // "delete what i said before" asks nothing then).
      const Analysis asked = engine_.analyse(blanked(told.text, engine_.words(Words::correction).find(told)));
      if (read(asked).asks) answer_question(asked, rest);
      return;
    }
    // "Do i need a medical exam here? my cousin at NENU had to do one": the
    // other university is the other person's, the question is asked here.
    // So is one that names it to compare: "isnt it 400 like at nenu", "跟
    // 东师一样吗".
    const NameContext around = name_context(engine_, analysis.text, named_at, named_end);
    const bool compared = around.compared;
    // What is asked here: the message without the comparison ("要提前30天申请吗").
    if (compared) rest = strip_filler(around.without);
    // ("跟东师一样吗" and nothing more, right after a question: that question,
    // at both.)
    if (compared && uni_ != nullptr && named != uni_)
      if (const Reading own = read(rest); own.attributes.empty() && own.things.empty() && own.leftover == 0)
        if (const std::string last = last_answered(st_.university); !last.empty()) {
          // (What was talked about stays the student's own question: "那重邮
          //呢" next asks it there too.)
          const StudentState::Context kept = st_.context;
          answer_at_each({uni_, named}, "the same question", raw, last);
          st_.context = kept;
          return touch_context();
        }
    // ...and one that names it as where the student came from: "i moved
    // here from dongbei shifan, how do i extend my permit?".
    const bool asked_here =
        (of_others && says_here(engine_, analysis.text)) || ((compared || around.came_from) && read(rest).asks);
    if (uni_ != nullptr && named != uni_ && !asked_here) {
      // (Kept: what is asked next of that person is asked there too.)
      if (of_others) {
        st_.context.others_at = named->id;
        touch_context();
      }
      // "What about at HUST?": the last question, asked there.
      if (before_.empty()) before_ = last_answered(st_.university);
      return answer_elsewhere(*named, engine_.analyse(rest), raw);
    }
    // "at HUST, how do I apply?": the university, then the question. Its
    // name said again by a student already there changes nothing.
    if (uni_ == nullptr) pick_university(*named);
    message = rest;
    analysis = engine_.analyse(rest);
  } else if (!names.found.empty() && !city_in_date_word(analysis, names)) {
    // "I'm not at CQUPT, what's the fee here?": the question without the
    // university it denies.
    message = names.rest;
    analysis = engine_.analyse(names.rest);
  }
  // "What about CQUPT?" (answered there, the student staying at JSNU),
  // then "how early must I apply there?": "there" is CQUPT; so is an
  // attribute asked bare right after ("那东北师大呢" then "出入境地址是？").
  // But "how do I get there from the dormitory?" names a place only the
  // student's own page has, and "我这里呢" says the student's own again.
  // (Its city named is "there" too: "长春的出入境地址是多少" right after
  // "那如果我在长春东北师范大学读书呢".)
  const auto answered = before_.starts_with(kElsewhere) ? answered_before() : std::nullopt;
  const std::string other = answered ? answered->university : "";
  const bool its_city = names.found.size() == 1 && names.found.front().named == 0 &&
                        names.found.front().left == 0 && names.found.front().university->id == other;
  if (uni_ != nullptr && !other.empty() && (names.found.empty() || its_city)) {
    // ("and whats my last day to apply" from a student with dates of their
    // own: theirs, at their own university.)
    const bool own_deadline = !st_.dates.empty() && uni_->id == st_.university &&
                              engine_.says(Words::first_person, analysis) && [&] {
                                const Reading r = read(analysis);
                                return !r.attributes.empty() && r.attributes.front() == attribute_index("deadline");
                              }();
    // ("do i need it too" after what a friend there must do: the student
    // asks for themselves, here; not "do i have to do that there too".)
    const bool me_too = engine_.says(Words::first_person, analysis) && engine_.says(Words::the_same, analysis) &&
                        analysis.text.find("there") == std::string::npos &&
                        analysis.text.find("那边") == std::string::npos && analysis.text.find("那里") == std::string::npos;
    const bool home = says_here(engine_, analysis.text) || own_deadline || me_too;
    const bool own_place = !engine_.things_in(uni_->id, analysis).empty() && engine_.things_in(other, analysis).empty();
    // A bare attribute, or a length alone ("办3年的呢" after the fee there),
    // which adds to the last question, asked there again.
    const Reading r = read(analysis);
    const bool length_only = r.attributes.empty() && told_length(analysis);
    const bool bare = (!r.attributes.empty() || length_only) && r.leftover <= 1;
    if (!home && !own_place && (its_city || engine_.says(Words::pointers, analysis) || bare)) {
      // (What it asks again stays: "is it the same there for him".)
      if (!length_only && !engine_.says(Words::the_same, analysis)) before_.clear();
      if (const University* u = engine_.university(other); u != nullptr && u != uni_)
        return answer_elsewhere(*u, analysis, raw);
    }
  }
  // "我表姐在重邮读书", then "她的居留许可1月14号到期 她最晚哪天要申请": a
  // question of that person, answered at their university.
  if (uni_ != nullptr && names.found.empty() && !st_.context.others_at.empty() && !says_here(engine_, analysis.text) &&
      (of_third_person(analysis) || engine_.says(Words::others, analysis)))
    if (const University* u = engine_.university(st_.context.others_at); u != nullptr && u != uni_)
      return answer_elsewhere(*u, analysis, raw);  // (others_at stays: theirs for the next question too)
  if (handle_dates(analysis)) {
    // ("我是今年9月来的新生,第一次办居留许可": the case told beside a date
    // asked about is kept all the same.)
    if (uni_ != nullptr) keep_told_case(analysis, message);
    return;
  }
  if (uni_ == nullptr) {
    // Kept (numbers masked, bounded) to be answered once the university is known.
    if (parse_small_number(norm) <= 0 && !analysis.terms.empty())
      st_.deferred_question = mask_numbers(utf8_prefix(message, kMaxDeferredQuestion));
    return say(text("choose_university", {{"list", university_list()}}));
  }
  // "start over - where is the immigration office": a command before a
  // question is no part of it (and does not fire: a command is a whole
  // message).
  if (std::string asked = after_command(norm); !asked.empty()) {
    message = asked;
    analysis = engine_.analyse(asked);
  }
  if (command(norm, "menu")) return menu();
  if (command(norm, "start")) return start_walkthrough();
  if (command(norm, "restart")) {
    st_.node.clear();
    st_.path.clear();
    st_.answers.clear();
    st_.ticked.clear();
    say(text("restarted"));
    return start_walkthrough();
  }
  if (command(norm, "next")) return go_next();
  if (command(norm, "back")) return go_back();
  if (command(norm, "progress")) return progress();
  if (command(norm, "staff")) return say(text("staff"));
  if (command(norm, "done")) return tick(-1);
  if (std::string number; starts_with_command(norm, "done", number)) {
    if (int n = parse_small_number(number); n >= 0) return tick(n);
  }
  if (int number = parse_small_number(norm); number >= 0) {
    // At a question of the walkthrough a number picks its option, even
    // after "progress" or "help" in between.
    if (const Node* n = current(); n != nullptr && n->kind == Node::Kind::question) {
      if (number >= 1 && static_cast<std::size_t>(number) <= n->options.size())
        return choose_option(static_cast<std::size_t>(number) - 1);
      return say(text("choice_invalid", {{"n", std::to_string(n->options.size())}}));
    }
    return say(text("ask_question"));
  }
  if (answer_by_label(norm)) return;
  // "Help, I lost my passport!", "人工 我住校外,住宿登记怎么办?": the cry
  // for help is not part of the question (a word no entry holds would make
  // it look unanswerable); the question is answered.
  // (Of the words for a person, only those that are nothing but a call:
  // "contact number of...", "工作人员说..." are questions.)
  // (The first cry the message starts with, of "help" or the calls.)
  auto left_out = [&](const std::vector<std::string>& cries) {
    for (const auto& word : cries) {
      const bool latin = static_cast<unsigned char>(word[0]) < 0x80;
      if (norm.size() <= word.size() || norm.compare(0, word.size(), word) != 0) continue;
      if (latin && std::isalnum(static_cast<unsigned char>(norm[word.size()]))) continue;  // "helpful"
      if (std::string rest = normalise(norm.substr(word.size())); !rest.empty()) {
        message = rest;
        analysis = engine_.analyse(rest);
      }
      return true;
    }
    return false;
  };
  if (!left_out(common_.commands.at("help"))) left_out(engine_.listed(Words::calls));
  answer_question(analysis, message);
}

void Turn::choose(int number) {
  if (number < 1 || static_cast<std::size_t>(number) > st_.choices.size()) {
    auto n = st_.choices.size();
    return say(text("choice_invalid", {{"n", std::to_string(n)}}));
  }
  const std::string choice = st_.choices[static_cast<std::size_t>(number) - 1];
  st_.choices.clear();
  // The choices come from the stored state: anything that no longer names
  // something real (a renamed entry, a tampered state) gets a prompt.
  if (choice.starts_with("u:")) {
    if (const University* u = engine_.university(choice.substr(2))) return pick_university(*u);
  } else if (choice.starts_with("opt:")) {
    std::size_t index = 0;
    const std::string digits = choice.substr(4);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
    if (ec == std::errc{} && end == digits.data() + digits.size()) return choose_option(index);
  } else if (choice.starts_with("faq:")) {
    // "faq:ID" at the student's university, "faq:UNIVERSITY:ID" at another.
    const std::string rest = choice.substr(4);
    const auto colon = rest.find(':');
    if (colon == std::string::npos) {
      if (const Faq* f = engine_.faq(st_.university, rest)) return answer_faq(*f);
    } else if (const University* other = engine_.university(rest.substr(0, colon))) {
      if (const Faq* f = engine_.faq(other->id, rest.substr(colon + 1))) {
        const University* mine = uni_;
        uni_ = other;
        say(text(mine != nullptr ? "other_university" : "at_university",
                 {{"current", mine != nullptr ? mine->short_name.in(lang) : ""}}));
        answer_faq(*f);
        uni_ = mine;
        return forget_topic();
      }
    }
  } else if (choice.starts_with("date:")) {
    // "date:KIND:YYYY-MM-DD": the student said what a date was.
    const std::string rest = choice.substr(5);
    const auto colon = rest.find(':');
    if (colon != std::string::npos && uni_ != nullptr && date_kind(rest.substr(0, colon)) != nullptr) {
      if (auto date = parse_iso(rest.substr(colon + 1))) {
        note_date(rest.substr(0, colon), Moment{*date, std::nullopt}, nullptr);
        return schedule_reminders();
      }
    }
  } else if (choice.starts_with("fact:")) {
    // "fact:THING:ATTRIBUTE": the place the student meant, asked back.
    const std::string rest = choice.substr(5);
    const auto colon = rest.find(':');
    const Thing* t = uni_ != nullptr && colon != std::string::npos ? uni_->thing(rest.substr(0, colon)) : nullptr;
    if (t != nullptr)
      for (std::size_t i = 0; i < common_.attributes.size(); ++i)
        if (common_.attributes[i].id == rest.substr(colon + 1)) return say_fact(*t, i);
  } else if (choice == "staff") {
    return say(text("staff"));
  }
  say(text("ask_question"));
}

}  // namespace permit::dialogs
