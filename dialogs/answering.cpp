// A question message, answered: said again at another university when it
// asks the last question there, split into its parts, each understood
// (answers.cpp) and answered (answer_replies.cpp), with the conversation's
// context kept for the next message.

#include "dialogs/closeness.hpp"
#include "dialogs/date_meaning.hpp"
#include "dialogs/permit_length.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

const Faq* Turn::answering_entry(const Understood& u) const {
  if (u.kind == Understood::Kind::faq) return u.faq;
  if (u.kind != Understood::Kind::fact || u.thing == nullptr) return nullptr;
  const auto it = u.thing->facts.find(common_.attributes[u.attribute].id);
  return it == u.thing->facts.end() || it->second.faq.empty() ? nullptr : engine_.faq(uni_->id, it->second.faq);
}

void Turn::answer_question(const std::string& raw) { answer_question(engine_.analyse(raw), raw); }

// `raw` is the question as the student wrote it, which is what is recorded
// when nothing answers it.
void Turn::answer_question(const Analysis& message, const std::string& raw) {
  if (!before_.empty()) {
    const auto again = asked_before(message, raw);
    before_.clear();
    // Recorded, if it finds nothing, as what the student wrote.
    if (again) return answer_question(engine_.analyse(*again), raw);
  }
  // "我丢的不是护照，是居留许可": about what it is, not what it is not.
  if (std::string kept = without_denied(message.text); kept != message.text)
    return answer_question(engine_.analyse(kept), raw);
  asked_ = message.text;
  asked_length_ = told_length(message);
  asked_of_others_ = engine_.says(Words::others, message);
  // "那我的呢", "and mine?" right after someone else's date: the student's
  // own deadlines again.
  if (!st_.context.others.empty() && !asked_of_others_ && engine_.says(Words::mine, message)) {
    const Reading r = read(message);
    const bool bare = r.leftover <= kLeftoverForPointer && r.only_the_permit();
    if (bare && uni_ != nullptr && uni_->id == st_.university) {
      if (say_dates_again(false)) return;
      // (None of their own yet: asked for, of the kind the other's was.)
      if (const auto others = others_told(); st_.dates.empty() && others) {
        st_.context.awaiting = others->kind;
        touch_context();
        return say(text("own_date_missing"));
      }
    }
  }
  keep_told_case(message, raw);
  keep_overstay(message);
  // "还没办过居留许可", told of themselves at CQUPT, whose page is on
  // extensions only: that, and the statement kept for the question next.
  // (Whether it asks is read only for a case named: every message passes here.)
  if (const Outside* outside = uni_ != nullptr && !asked_of_others_ ? outside_told(message) : nullptr;
      outside != nullptr && !has_question_mark(raw) && !read(message).asks) {
    const std::string told = statement_.empty() ? message.text : statement_ + " " + message.text;
    st_.context.statement = mask_numbers(utf8_prefix(told, StudentState::Context::kMaxStatement));
    touch_context();
    return say(outside->says.in(lang));
  }
  // A permit length told of their own ("i got approved for a 2 year
  // extension"), kept for the fee asked next; not one asked about ("不到
  // 一年的多少钱" asks that row only), nor a length of something else than
  // the permit ("my program is 4 years", "我来中国一年半了", "my health
  // record is good for 6 months"): the permit must be named.
  // (Nor one denied; but a correction of the length told before is the
  // permit's, named or not: "sorry i mean 2 years not 6 months".)
  if (const auto& length = asked_length_; length && uni_ != nullptr) {
    const Reading r = read(message);
    const bool of_the_permit = std::any_of(r.things.begin(), r.things.end(), [](const Thing* t) { return t->main; });
    const bool corrects = !st_.context.length.empty() &&
                          (engine_.says(Words::correction, message) || engine_.says(Words::meant, message));
    if ((of_the_permit || corrects) && !r.asks && !has_question_mark(raw)) {
      st_.context.length = length->key();
      touch_context();
      // "so im asking for a 2 year permit", and nothing more: what the
      // page sets by the permit's length (NENU's fee) is said for it.
      if (r.attributes.empty() && r.leftover <= kLeftoverForPointer + 1 && !r.asks_next)
        for (const Faq& f : uni_->faq)
          if (f.by_length) return answer_faq(f);
    }
  }
  if (const Faq* entry = told_case_rule_entry(message)) return answer_faq(*entry);
  // "我要办两年的呢" right after the fee, which the page gives by the
  // permit's length: that entry again, for this length.
  if (asked_length_ && uni_ != nullptr && !st_.context.faq.empty())
    if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr && last->by_length) {
      const Reading r = read(message);
      if (r.attributes.empty() && r.leftover <= kLeftoverForPointer + 1 && !r.asks_next &&
          r.only_the_permit())
        return answer_faq(*last);
    }
  struct Part {
    std::string text;
    Understood understood;
    const Thing* place = nullptr;  // the one place (not the permit's own) the part named, if one
    std::optional<Date> day;       // the day it asks whether to go on ("今天可以去做体检吗")
  };
  std::vector<Part> parts;
  const Thing* context = context_thing();
  // "Its validity?" right after a question not understood: "it" is that.
  bool lost = st_.context.unresolved;
  st_.context.unresolved = false;
  auto pieces = split_question(engine_, message);
  const std::size_t parts_of = pieces.size();
  std::vector<Reading> readings;
  // One piece is the message itself, already read.
  if (parts_of == 1) readings.push_back(read(message));
  else
    for (const auto& piece : pieces) readings.push_back(read(piece));
  if (parts_of == 1) {
    if (auto with = with_statement(readings.front(), context, lost)) {
      asked_ = with->analysis.text;  // (the case words it tells too)
      pieces = {with->analysis.text};
      readings = {*std::move(with)};
      lost = false;  // (what was not placed is placed now)
    }
  }
  const bool any_asks = std::any_of(readings.begin(), readings.end(), [](const Reading& r) { return r.asks; });
  // "I'm at the immigration office": where the student is, for "where do
  // I hand in my documents?" next.
  for (const auto& r : readings)
    if (r.here != nullptr) {
      st_.context.here = r.here->id;
      touch_context();
    }
  std::string told;  // the pieces before this one that ask nothing
  bool told_permit = false;  // ...and whether they name the permit itself
  std::vector<const Thing*> told_places;  // ...and the places they name
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string& piece = pieces[i];
    const Reading& r = readings[i];
    if (r.analysis.terms.empty() && r.attributes.empty()) continue;  // "hi", "thanks"
    // "...and after I get it, how long...": a piece with nothing of its own
    // to ask about is only a link between the others; "my passport is
    // E123. Is there wifi?": one that asks nothing is context for the one
    // that does.
    if (parts_of > 1 && r.attributes.empty() && r.things.empty() && r.leftover == 0 && !r.asks_next) continue;
    if (parts_of > 1 && !r.asks && any_asks) {
      told += (told.empty() ? "" : " ") + piece;
      told_permit = told_permit || std::any_of(r.things.begin(), r.things.end(), [](const Thing* t) { return t->main; });
      for (const Thing* t : r.things)
        if (!t->main && std::find(told_places.begin(), told_places.end(), t) == told_places.end()) told_places.push_back(t);
      continue;
    }
    // "they said i need some photo receipt?? where do i get it": "it" is
    // the one place told just before.
    if (r.refers_back && r.things.empty() && told_places.size() == 1) context = told_places.front();
    told_places.clear();
    // "My landlord says we need to register me somewhere. Where do we go?":
    // a question with nothing of its own but what it asks is about what
    // was told before it.
    Reading joined;
    // (Not when what was told is about the permit itself: "my permit
    // expires soon, how much is the fee?" asks the permit's fee.)
    // (But "my registration was rejected?? what do i do now": a bare "what
    // now" asks about what was told, the permit's too.)
    // (Nor a size, which the permit has none of: "photo for the permit
    // form?? what size" asks the photo's size.)
    const bool sized = !r.attributes.empty() && common_.attributes[r.attributes.front()].id == "size";
    const bool bare = !told.empty() && (!told_permit || (r.asks_next && r.attributes.empty()) || sized) &&
                      r.things.empty() && r.leftover == 0 && !r.refers_back;
    if (bare) joined = read(told + " " + piece);
    // (A later part with words of its own and no "it" is not about the
    // earlier part's place: "who issues the application letter and where
    // do i hand in everything?".)
    // (But the earlier part's place, when it has what is asked as a fact
    // of its own: "体检要空腹吗？结果多久能拿到" asks the examination's
    // result time, not the Immigration Office's three weeks.)
    const bool its_fact = context != nullptr && !context->main && !r.attributes.empty() &&
                          context->facts.contains(common_.attributes[r.attributes.front()].id);
    const bool own_words = i > 0 && parts_of > 1 && r.leftover > 0 && !r.refers_back && r.things.empty() && !its_fact;
    // ("and what time does that office open" after the hospital, the
    // Immigration Office before it: that office.)
    Understood u = understand(bare ? joined : r, own_words ? nullptr : pointed_at(r, context), lost);
    told.clear();
    told_permit = false;
    // "Where is the hospital and what are its hours?": the second part
    // refers to the first's thing; after a part not understood, "it"
    // refers to nothing known.
    if (u.thing != nullptr) context = u.thing;
    // "纸质材料还要交吗？交到哪": a place the part named is what the next
    // part's "where" is about, though the answer was about the permit.
    const Reading& asked_part = bare ? joined : r;
    // The one place (not the permit's own) the part names, if one.
    const auto* one = only_one(asked_part.things, [](const Thing* t) { return !t->main; });
    const Thing* place = one != nullptr ? *one : nullptr;
    if (context == nullptr || context->main)
      for (const Thing* t : asked_part.things)
        if (!t->main) {
          context = t;
          break;
        }
    // (Unless the part named one place: "要先体检吗？在哪" asks where the
    // examination is, whether or not its first part was understood; "那出入
    // 境管理处呢，几点开门" right after the hospital's hours asks the
    // Immigration Office's, never the hospital's again.)
    if (u.kind == Understood::Kind::clarify || u.kind == Understood::Kind::none) {
      lost = true;
      // (The permit's own office named alone is that place too: NENU's
      // Immigration Office.)
      const bool no_place = std::none_of(asked_part.things.begin(), asked_part.things.end(),
                                         [](const Thing* t) { return !t->main; });
      const auto main = std::find_if(asked_part.things.begin(), asked_part.things.end(),
                                     [](const Thing* t) { return t->main; });
      context = place != nullptr ? place : no_place && main != asked_part.things.end() ? *main : nullptr;
    }
    parts.push_back({std::move(piece), std::move(u), place, asked_part.day});
  }
  auto answered = [](const Part& p) { return answers(p.understood); };
  auto say_settled = [&](const Node& settled) {
    std::string m = settled.text.in(lang);
    if (settled.source) m += "\n" + source_line(*settled.source);
    say(std::move(m));
  };
  if (parts.empty()) {
    // "Is that ok?", "is that the same for me?": a question of nothing but
    // "that" is about the student's case as the page settles it, or else
    // about the answer just given (to "probably during the national day
    // holiday": avoid holidays).
    if (const Reading r = read(message); r.asks && r.refers_back) {
      if (const Node* settled = settled_end()) return say_settled(*settled);
      // (Not after a question back: the answer before it is not "that".)
      const bool answered_last = !lost && !stale_thing_ && !asked_back_;
      const Faq* last = answered_last ? engine_.faq(uni_->id, st_.context.faq) : nullptr;
      if (last != nullptr) return answer_faq(*last);
    }
    // "am i still ok?", "我还来得及吗" after the student's dates: a question
    // of nothing else is about their own deadlines, said again.
    const bool asks = asks_by_words(message) || has_question_mark(raw);
    if (asks && uni_ != nullptr && uni_->id == st_.university && !elsewhere_dates_ && say_dates_again(true)) return;
    // Greetings and filler are not questions: nothing to rank or record.
    return say(text("ask_question"));
  }
  if (parts.size() > 1 && std::none_of(parts.begin(), parts.end(), answered)) {
    // No part makes sense alone: read it as one question.
    Reading whole = read(message);
    parts = {Part{message.text, understand(whole, context_thing()), nullptr, whole.day}};
  }
  const bool any = std::any_of(parts.begin(), parts.end(), answered);
  // "I'm at Tongji Medical College" answered by the entry on it: the
  // student's situation, kept (as the guide's answers) for what they ask
  // next. "Do I go to window 1 too?" then hears first that the page settles
  // their case otherwise.
  const bool tells_situation = std::any_of(parts.begin(), parts.end(), [](const Part& p) {
    return p.understood.faq != nullptr && !p.understood.faq->situation.empty();
  });
  // (Said before "I could not find that" too: "do I go to window 1 like
  // everyone else?" from a Tongji student.)
  if (const Node* settled = settled_end(); settled != nullptr && !tells_situation) say_settled(*settled);
  // "我是新生，第一次办居留许可要怎么弄" at CQUPT, whose page is on
  // extensions only: that it does not cover a first permit, before what it
  // says for an extension.
  // (What it says for its own case only before an answer that follows.)
  if (const Outside* outside = outside_told(message))
    say(std::any_of(parts.begin(), parts.end(), answered) ? outside->says.in(lang) + "\n" + outside->then.in(lang)
                                                          : outside->says.in(lang));
  // (Told of themselves, not asked about: "renting an apartment near
  // campus now", not "我也要去派出所登记吗"; nor under "if", nor of someone
  // else: "my friend rents an apartment". What they tell last is their case
  // now: "i moved out of the dorm", then "renting an apartment".)
  // (Read only where a situation is at stake: this is every message's path.)
  auto of_others = [&] { return asked_of_others_ || engine_.says(Words::condition, message); };
  const bool about_self = tells_situation && !read(message).asks && !of_others();
  if (about_self)
    for (const auto& p : parts)
      if (p.understood.faq != nullptr)
        for (const auto& [var, value] : p.understood.faq->situation)
          // (Not over what the student said in words: "我住校外" answered
          // by the dormitory's entry stays off campus.)
          if (std::find(told_now_.begin(), told_now_.end(), var) == told_now_.end()) st_.answers[var] = value;
  bool offered = false;
  // "When does he have to apply?", "她的复印件最晚什么时候交" right after
  // someone else's date: theirs, not the student's own.
  const bool of_the_other = !st_.context.others.empty() && (asked_of_others_ || of_third_person(message));
  for (const auto& p : parts) {
    const Understood& u = p.understood;
    if (of_the_other && say_others_date_again(u)) continue;
    // What was asked about a place, for "and at the other one?" next (the
    // permit's own office too: NENU's Immigration Office).
    const Thing* place = u.thing != nullptr ? u.thing
                         : u.faq != nullptr && !u.faq->about.empty() ? uni_->thing(u.faq->about)
                                                                    : nullptr;
    st_.context.asked.clear();
    if (place != nullptr) {
      if (u.kind == Understood::Kind::fact) st_.context.asked = common_.attributes[u.attribute].id;
      else if (u.kind == Understood::Kind::faq && u.asked) st_.context.asked = common_.attributes[*u.asked].id;
    }
    if (!u.unmentioned.empty() && answered(p)) say(text("unmentioned", {{"word", u.unmentioned}}));
    // "罚多少钱" answered by a rule that names no sum (a refusal, a bad
    // record): that the page gives no amount, first.
    if (const Faq* by = answering_entry(u); u.amount && by != nullptr && !engine_.gives(*by, attribute_index("fee")))
      say(text("attribute_not_in_answer", {{"attribute", text("fine_amount")}, {"topic", by->topic.in(lang)}}));
    if (u.kind == Understood::Kind::fact) {
      // "今天可以去做体检吗", "can i go tomorrow?": which day of the week
      // that is, before the hours (today is a Saturday).
      if (common_.attributes[u.attribute].id == "hours" && p.day) say_weekday(*p.day);
      say_fact(*u.thing, u.attribute);
      if (u.also) say_fact(*u.thing, *u.also);  // "地址和办公时间"
      if (u.faq != nullptr) {
        answer_faq(*u.faq);
        // "住学校宿舍的是哪个派出所", answered by the dormitory's entry that
        // names the station: "its address?" next is the station's.
        if (!u.thing->main) st_.context.thing = u.thing->id;
      }
      continue;
    }
    if (u.kind == Understood::Kind::faq) {
      // "How much is the insurance?" answered by the entry on insurance,
      // which gives no price: say that first.
      if (u.asked && !engine_.gives(*u.faq, *u.asked)) {
        // ...unless the place the entry is about has its own entry for it:
        // "那天开门吗" after the hospital is its opening hours, not "the page
        // does not give them" beside the fasting entry.
        // (Only the place talked about: "明天开门吗" after the Immigration
        // Office is not the hospital's.)
        if (const Thing* place = uni_->thing(u.faq->about); place != nullptr && !place->main && place == context_thing()) {
          const auto f = place->facts.find(common_.attributes[*u.asked].id);
          const Faq* own = f == place->facts.end() || f->second.faq.empty() ? nullptr : engine_.faq(uni_->id, f->second.faq);
          if (own != nullptr && own != u.faq && engine_.gives(*own, *u.asked)) {
            say_fact(*place, *u.asked);
            continue;
          }
          // "when is the window open?" after the letter's window: the place
          // has nothing on its hours, and that is the answer (not the
          // letter's three working days beside it).
          // (The place the question names, if it names one: "the window".)
          if (f == place->facts.end() && common_.attributes[*u.asked].of_a_place) {
            const Reading asked = read(p.text);
            const auto named = std::find_if(asked.things.begin(), asked.things.end(), [](const Thing* t) { return !t->main; });
            const Thing* of = named != asked.things.end() ? *named : place;
            if (!of->facts.contains(common_.attributes[*u.asked].id)) {
              say_fact(*of, *u.asked);
              continue;
            }
          }
        }
        const Text& label = common_.attributes[*u.asked].label;
        // The bot's own entries (what it keeps, what it does) are not the
        // page: "我的护照丢了" is not answered with the privacy note.
        if (!u.faq->source) {
          say(text("attribute_not_given", {{"attribute", label.in(lang)}}));
          // (What was asked, for "怎么办" next: see Turn::understand.)
          st_.context.faq.clear();
          st_.context.attribute = common_.attributes[*u.asked].id;
          touch_context();
          continue;
        }
        say(text("attribute_not_in_answer", {{"attribute", label.in(lang)}, {"topic", u.faq->topic.in(lang)}}));
      }
      // "So when must I apply?" after giving the date it counts from.
      // (Not of someone else: "is my friend still ok?" gets the rule, not
      // the student's own deadline.)
      if ((!u.asked || asks_when(*u.asked)) && !asked_of_others_ && say_own_dates(*u.faq)) {
        // ("can i do the extension during the break?" from a student who
        // gave the expiry: their deadline, and then what the entry chosen
        // says, when it is another part of that rule's article than the
        // rule's own entry: the holidays.)
        if (!is_rule_entry(*u.faq)) answer_faq(*u.faq);
        continue;
      }
      // "也要去派出所登记吗" from a student who said they live in the
      // dormitory: the entry for their case, said to be theirs.
      // (Not a question about others: "what does my friend off campus bring?")
      if (const auto [mine, label] = for_my_case(*u.faq); mine != nullptr && !of_others()) {
        if (label != nullptr) say(text("your_case", {{"case", label->in(lang)}}));
        answer_faq(*mine);
        continue;
      }
      answer_faq(*u.faq);
      if (u.thing != nullptr && !u.thing->main) st_.context.thing = u.thing->id;  // as above
      // "i need to go to jiang pan photoshop", answered by CQUPT's list of
      // addresses (an entry about no one place): "its address?" next is
      // the place named.
      // (Only a place that answer names: "i just renewed my insurance",
      // whose "renew" names the exit-entry office, answered by the
      // insurance item, leaves no place talked about.)
      if (u.faq->about.empty() && u.thing == nullptr && p.place != nullptr && engine_.names(*u.faq, *p.place))
        st_.context.thing = p.place->id;
      // An attribute of the permit ("where is the exit-entry office?") is
      // what "and here?" asks again elsewhere, not this entry's question.
      // (Not an entry of a case of its own that gives it: "重邮有这个规定吗"
      // after JSNU's ten days from a transfer asks for a transfer rule
      // there, not for CQUPT's time limit.)
      const Thing* about = uni_->thing(u.faq->about);
      // (So is one the entry chosen does not give, said to be missing: "is
      // there a fine for overstaying?" at NENU, then "what about at JSNU?",
      // asks JSNU's fine, not its time limit, the topic NENU answered with.)
      if (u.asked && (about == nullptr || about->main) &&
          (is_permit_fact(*u.faq, *u.asked) || !engine_.gives(*u.faq, *u.asked)))
        st_.context.attribute = common_.attributes[*u.asked].id;
      continue;
    }
    if (u.kind == Understood::Kind::next_step) {
      if (!u.steps.empty()) say_next_step(*u.steps.front(), u.steps.front()->text.in(lang));
      else say_next_step(*u.thing);
      continue;
    }
    if (u.kind == Understood::Kind::page_step) {
      for (const Node* step : u.steps) say_page_step(*step, static_cast<int>(u.attribute));
      continue;
    }
    if (u.kind == Understood::Kind::which_thing) {
      ask_which_thing(u.attribute);
      continue;
    }
    out_.effects.push_back({Effect::Kind::record_unanswered, st_.university, lang_code(lang),
                            mask_numbers(any ? p.text : raw), "", "", {}});
    if (any) {
      // One part answered, this one not: say so, and offer its topics.
      if (!offered && !u.options.empty()) {
        offer(u.options, "part_offer", {{"question", mask_numbers(p.text)}});
        offered = true;
      } else {
        say(text("part_not_found", {{"question", mask_numbers(p.text)}}));
      }
      continue;
    }
    st_.context.unresolved = true;
    // (A statement, kept to read the question after it with: "我学费还没交";
    // after another not placed either, with it: "someone stole my bag",
    // "my passport was in it".)
    if (!read(message).asks && !has_question_mark(raw)) {
      const std::string told = statement_.empty() ? message.text : statement_ + " " + message.text;
      st_.context.statement = mask_numbers(utf8_prefix(told, StudentState::Context::kMaxStatement));
    }
    touch_context();
    if (!u.unmentioned.empty() && u.options.empty()) {
      st_.choices = {"staff"};
      say(text("unmentioned", {{"word", u.unmentioned}}));
    } else if (!u.unmentioned.empty()) {
      offer(u.options, "unmentioned_offer", {{"word", u.unmentioned}});
    } else if (u.options.empty()) {
      st_.choices = {"staff"};
      say(text("not_found_no_topics"));
    } else {
      offer(u.options, "not_found");
    }
    break;  // nothing answered: one reply for the whole message
  }
  // "when do i apply" right after "my visa expires on 05/06/2027" was asked
  // back (day or month first?): the rule, and the date still wanted, so
  // that the student's own deadline can be counted.
  // (Or answered by the entry of the rule that counts from that date: "when
  // shud i apply" after "it expires 03/04/2027" at CQUPT, its 30 days.)
  const std::size_t deadline = attribute_index("deadline");
  const DatedRule* awaited_rule = uni_ != nullptr && !awaiting_.empty() ? uni_->rule_for(awaiting_) : nullptr;
  const bool asked_deadline = std::any_of(parts.begin(), parts.end(), [&](const Part& p) {
    const Understood& u = p.understood;
    return (u.kind == Understood::Kind::fact && u.attribute == deadline) ||
           (u.kind == Understood::Kind::faq && u.asked && *u.asked == deadline) ||
           (u.kind == Understood::Kind::faq && awaited_rule != nullptr && entry_of(*awaited_rule) == u.faq);
  });
  // (Only where a rule here counts from that date: NENU's page sets no
  // time limit from the expiry, and says so.)
  if (asked_deadline && !awaiting_.empty() && !awaiting_.starts_with(kOthersDate) && !st_.dates.contains(awaiting_) &&
      uni_ != nullptr && uni_->rule_for(awaiting_) != nullptr)
    if (const DateKind* kind = date_kind(awaiting_)) {
      say(text("date_awaited", {{"label", kind->label.in(lang)}}));
      st_.context.awaiting = awaiting_;
      touch_context();
    }
}

}  // namespace permit::dialogs
