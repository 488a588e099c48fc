// Questions: what a student asks about (a thing and its attribute, or an
// FAQ topic), and which reply that takes (answering.cpp takes a message
// through it part by part; entry_choice.cpp ranks and chooses entries;
// answer_replies.cpp words the replies).

#include "dialogs/closeness.hpp"
#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

std::optional<PermitLength> Turn::told_length(const Analysis& a) const {
  std::size_t after = 0;
  for (const Words w : {Words::correction, Words::meant})
    for (const auto& h : engine_.words(w).find(a)) after = std::max(after, h.end);
  if (after > 0)
    if (auto corrected = find_told_length(std::string_view(a.text).substr(after))) return corrected;
  return find_told_length(a.text);
}

// A question read together with the topic of the answer before it. The
// topic's words count as context, not as the question's own phrasing: its
// word pairs ("apply extension") would outweigh what is asked.
Reading Turn::read_after(const Reading& r, const Faq& last) const {
  Reading joined = read(r.analysis.text + " " + last.topic.in(lang));
  const auto& own = r.analysis.terms;
  std::erase_if(joined.analysis.terms, [&](const std::string& t) {
    return t.starts_with('^') && std::find(own.begin(), own.end(), t) == own.end();
  });
  return joined;
}

Understood Turn::interpret(const Reading& r, const Thing* context, bool lost) const {
  // "It" with no thing it can be: one talked about too long ago, or in a
  // part of this message not understood.
  const bool unknown_referent = r.refers_back && context == nullptr && (stale_thing_ || lost);
  // Progress told, the next step, a step by the page's numbering.
  if (auto about = about_steps(r, context, lost)) return *std::move(about);
  // "Where is the Immigration Office?", "its opening hours?": an attribute
  // of a thing, named or talked about just before, is answered from that
  // thing's own facts, never from another's.
  if (!r.attributes.empty()) {
    const std::size_t asked = r.attributes.front();
    auto fact = [&](const Thing* t) { return fact_of(t, r); };
    auto agrees = [&](const Understood& ranked, const Thing& t) { return agrees_with(ranked, t, asked); };
    // The thing asked about: named, or pointed at ("its hours", "那里").
    const Thing* thing = !r.things.empty() ? r.things.front() : nullptr;
    if (thing == nullptr && r.refers_back) thing = context != nullptr ? context : step_thing();
    if (auto inside = inside_place(r, asked, thing)) return *std::move(inside);
    // "When should I apply to the International College by?": a place with
    // no time limit of its own is where the permit's is met (JSNU's one
    // month before expiry is applied for at the college); so is a penalty
    // ("am I in trouble?" after "no police form, nothing").
    const std::string& asked_id = common_.attributes[asked].id;
    const bool of_the_permit = asked_id == "deadline" || asked_id == "penalty";
    // The place talked about, unless the permit's time limit or penalty is
    // asked and it has none of its own.
    // A size is a paper's or a photo's, never a place's: "what size?" after
    // the examination's documents is read with that answer, and "体检照片的
    // 大小" with the entries that give one.
    const bool sized = asked_id == "size";
    const Thing* context_place =
        (context != nullptr && of_the_permit && !context->main && !context->facts.contains(asked_id)) || sized
            ? nullptr
            : context;
    if (sized) thing = nullptr;
    if (thing != nullptr && !thing->main && of_the_permit && !thing->facts.contains(asked_id))
      if (const Thing* main = uni_->main_thing(); main != nullptr && main->facts.contains(asked_id)) thing = main;
    if (thing != nullptr) return of_thing(r, thing, lost);
    // "Where do I download it?" after an answer about no thing: the
    // question is read together with the topic just answered.
    if (r.refers_back && !st_.context.faq.empty()) {
      if (const Faq* last = engine_.faq(uni_->id, st_.context.faq)) {
        // (Words enough of its own that choose an entry surely: that one.
        // "我的学费是从国外银行汇款交的 那要怎么弄" right after the tuition
        // item is about remitting, not the item.)
        if (r.leftover > kLeftoverAtMost)
          if (Understood own = rank(r); own.kind == Understood::Kind::faq && own.faq != last) {
            own.asked = asked;
            return own;
          }
        Understood u = rank(read_after(r, *last));
        // (Not an entry that does not give what is asked: "how do I pay
        // there?" after when to apply, which names no place, is the
        // permit's payment.)
        if (u.kind == Understood::Kind::faq && (u.faq != last || engine_.gives(*u.faq, asked))) {
          u.asked = asked;
          return u;
        }
      }
    }
    const Thing* main = uni_->main_thing();
    if (r.leftover <= kLeftoverForContext) {
      // "How much?", "and the hours?": the thing just talked about, else
      // the answer just given ("要在多少天内办" after the transfer rule),
      // else the permit itself. (Not a place for the permit's time limit
      // or penalty, unless it has its own: "am I in trouble?" after the
      // police station's form.)
      // "什么时候交" right after the fee: when it is paid, as the fee's
      // answer says (CQUPT: once the permit is ready), not the
      // application's time limit.
      if (asked_id == "deadline" && (st_.context.attribute == "fee" || st_.context.attribute == "payment") &&
          !st_.context.faq.empty() && r.attributes.size() == 1)
        if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr)
          return answered_by(*last);
      if (context_place != nullptr) {
        // (Not a whole question of its own with no "it": "and where do i
        // hand in all the documents after" right after the police station
        // asks where everything is submitted, which an entry answers.)
        // (Where only: "what documents do I need to bring with me" after the
        // police station is still the station's.)
        if (!r.refers_back && r.analysis.words.size() >= kWordsOfItsOwn && common_.attributes[asked].id == "address") {
          const Understood ranked = rank(r);
          if (ranked.kind == Understood::Kind::faq && engine_.gives(*ranked.faq, asked) &&
              !ranked.faq->about.empty() && ranked.faq->about != context_place->id) {
            Understood u = ranked;
            u.asked = asked;
            return u;
          }
        }
        // "hw much" right after the way there: the fare it gives, not the
        // place's fee; nothing but the amount asked ("and the application
        // fee?", "申请费多少" name the fee).
        if (asked_id == "fee" && r.attributes.size() == 1 && r.leftover == 0 && st_.context.attribute == "transport" &&
            context_place->facts.contains("transport") && only_amount_asked(r.analysis)) {
          Understood u = fact(context_place);
          u.attribute = attribute_index("transport");
          return u;
        }
        return fact(context_place);
      }
      if (!st_.context.faq.empty()) {
        if (const Faq* last = engine_.faq(uni_->id, st_.context.faq)) {
          // "会怎么罚" right after JSNU's work-study rule (Article 7), which
          // gives no fine: the one entry of the same article that does (the
          // fine for illegal work), not the overstay fine the words choose.
          if (last->source && asked_id == "penalty" && !engine_.gives(*last, asked))
            if (const Faq* same = only_one(uni_->faq, [&](const Faq& f) {
                  return &f != last && f.source && cites_alike(*f.source, *last->source) && engine_.gives(f, asked);
                })) {
              return answered_by(*same, asked);
            }
          Understood u = rank(read_after(r, *last));
          // (Not an entry about another place: "from what time?" after the
          // Immigration Office's address is not the hospital's hours.)
          // (But the permit's own, where that place has none: "how much?"
          // right after applying to JSNU's International College a month
          // ahead is the permit's fee.)
          const Thing* found_about = u.kind == Understood::Kind::faq ? uni_->thing(u.faq->about) : nullptr;
          const Thing* last_about = uni_->thing(last->about);
          const bool permits_own = found_about != nullptr && found_about->main && last_about != nullptr &&
                                   !last_about->facts.contains(asked_id);
          const bool elsewhere = u.kind == Understood::Kind::faq && !u.faq->about.empty() && !last->about.empty() &&
                                 u.faq->about != last->about && !permits_own;
          if (u.kind == Understood::Kind::faq && engine_.gives(*u.faq, asked) && !elsewhere) {
            u.asked = asked;
            return u;
          }
          if (elsewhere) {
            if (const Thing* t = uni_->thing(last->about)) return fact(t);
          }
          // "罚款是多少" right after working off campus without the
          // annotation (an answer that gives no fine): the close entry
          // that gives it, read with that answer (the illegal-work fine,
          // not the overstay fine); of a place's own attribute, only that
          // place's ("what time does it open" after when to apply at NENU
          // is not the hospital's hours).
          if (!engine_.gives(*last, asked))
            if (const Faq* giving = close_entry_giving(r, *last, asked);
                giving != nullptr && !(common_.attributes[asked].of_a_place && giving->about != last->about)) {
              return answered_by(*giving, asked);
            }
        }
      }
      // "How much is the fine?" right after being offered the work-study
      // rules and the illegal-employment penalty: the one offered that
      // gives it, not the overstay fine.
      // (Not a place's attribute: an entry offered that names an office
      // in passing, "hand the copy to the ISO", is not where one applies.)
      if (const Faq* offered = common_.attributes[asked].of_a_place ? nullptr : offered_giving(asked)) {
        return answered_by(*offered, asked);
      }
      if (main != nullptr && !unknown_referent) return fact(main);
    } else if (!unknown_referent) {
      // Words beyond the attribute and no thing: the entries decide, or
      // agree with the permit's own fact ("i forgot to apply in time,
      // what happens now?").
      // (Every entry, ranked once: the closest decide, and the rules
      // below look further down.)
      const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
      Understood ranked = decide(matches);
      ranked.asked = asked;
      // "How long does the school letter take?" at CQUPT: the words beside
      // "how long" choose the letter, an entry that gives no time, not the
      // permit's 15 workdays that the attribute's words choose: the page
      // does not give it, and what it says of the letter.
      if (const Faq* topic = topic_without_attribute(r, ranked, asked)) {
        return answered_by(*topic, asked);
      }
      // "被查到会罚多少" right after working off campus (an answer that gives
      // no penalty): read with that answer, the close entry that gives the
      // fine for it, not the overstay fine the words alone choose. (Not
      // when the words name the topic of the entry they choose, which gives
      // it: "if i overstay my visa how much is the fine".) (With
      // three words of its own or more, only when they choose no entry
      // surely: "如果没办手续被查到 罚多少", not "如果超期居留会罚多少".)
      if (context_place == nullptr && !st_.context.faq.empty() &&
          (r.leftover < kLeftoverAtMost || ranked.kind != Understood::Kind::faq))
        if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr && !engine_.gives(*last, asked))
          if (const Faq* giving = close_entry_giving(r, *last, asked);
              giving != nullptr && (ranked.kind != Understood::Kind::faq || giving != ranked.faq) &&
              !(ranked.kind == Understood::Kind::faq && engine_.gives(*ranked.faq, asked) &&
                names_topic(r.analysis, *ranked.faq))) {
            return answered_by(*giving, asked);
          }
      const std::string context_id = context != nullptr ? context->id : std::string();
      // "几点上班" right after the ISO: not the permit office's hours, but
      // that the page gives none for the ISO.
      // (Unless the word of its own names the topic of the entry chosen,
      // which gives what is asked: "where do i submit everything" after
      // the letter the ISO writes is where the application is submitted.
      // "开好以后交到哪" is not yet: "交" is not the topic's "递交".)
      const bool about_context = ranked.kind == Understood::Kind::faq && ranked.faq->about == context_id;
      // (Well ahead of the next: "where do i pay the fee" at NENU holds the
      // examination's counters and the Immigration Office's steps alike.)
      const bool topic_named = ranked.kind == Understood::Kind::faq && engine_.gives(*ranked.faq, asked) &&
                               names_topic(r.analysis, *ranked.faq) && well_ahead(matches);
      // (Not the permit's time limit, which the place has none of: "现在
      // 申请还来得及吗" after the police station's form. A penalty asked so
      // stays the place's silence: the fines the words choose alone are
      // for other things, "会被罚多少钱" right after an overstay told.)
      const bool permits_deadline = asked_id == "deadline" && context_place == nullptr;
      if (context != nullptr && !context->main && r.leftover <= kLeftoverForPointer && !about_context && !topic_named &&
          !permits_deadline && !context->facts.contains(asked_id) && !sized)
        return fact(context);
      // "结果多久能拿到" right after where the examination is: the place
      // talked about has that fact, and its entry is close behind one about
      // another place (how long the Immigration Office keeps a passport).
      const bool elsewhere_ranked =
          ranked.kind != Understood::Kind::faq || (!ranked.faq->about.empty() && ranked.faq->about != context_id);
      // "要交钱吗 多久能拿到表" right after the police station: its own facts,
      // written out (no entry of their own to rank), not the Immigration
      // Office's waiting time; but only a place of the message before: "how
      // many photos, and where do I submit everything?" does not ask where
      // the photo studio is.
      // (With its own entry close behind, a word more may be the place's:
      // "做完以后结果多久能拿" after where the examination is; and closer
      // still when that entry is the answer just given: "要带几张照片啊"
      // right after registering off campus is its 3 photos, not the
      // examination's.)
      if (context != nullptr && !context->main && elsewhere_ranked && r.leftover <= kLeftoverForPointer + 1) {
        const auto f = context->facts.find(common_.attributes[asked].id);
        if (f != context->facts.end() &&
            ((f->second.faq.empty() && context == context_thing() && r.leftover <= kLeftoverForPointer) ||
             close_behind(matches, [&](const Engine::Match& m) { return m.faq->id == f->second.faq; },
                          f->second.faq == st_.context.faq ? kContextEntryClose : kContextFactClose)))
          return fact(context);
      }
      // "学费用什么方式交比较好": the permit's own fact (the way to pay),
      // then the entry the words chose, when that entry does not give it.
      // (Not a property of what the words chose: "when can I get the
      // official letter" at CQUPT is not answered with the permit's 15
      // workdays, but with what the page says of the letter, and that it
      // gives no time for it.)
      if (ranked.kind == Understood::Kind::faq && main != nullptr && !engine_.gives(*ranked.faq, asked) &&
          main->facts.contains(common_.attributes[asked].id) &&
          !(common_.attributes[asked].property && ranked.faq->about != main->id)) {
        Understood u = fact(main);
        u.faq = ranked.faq;
        return u;
      }
      // "Can I pay the fee with WeChat?" right after the permit's office
      // (at NENU the Immigration Office): its own fact, not an entry about
      // another place with a fact of the same kind that the student neither
      // named nor talked about (the hospital's counters, where WeChat Pay is
      // taken).
      const std::string& asked_id = common_.attributes[asked].id;
      // (So is a short follow-up of an attribute it has no fact for:
      // "周一开门吗" right after where the Immigration Office is, not the
      // hospital's hours.)
      // (Unless the question names the topic of the entry chosen:
      // "住宿登记在哪办" after the passport kept at the Immigration Office
      // is where one registers.)
      if (ranked.kind == Understood::Kind::faq && context != nullptr && context->main && r.things.empty() &&
          (context->facts.contains(asked_id) || r.leftover <= kLeftoverForPointer) &&
          !(r.leftover > kLeftoverForPointer && names_topic(r.analysis, *ranked.faq) &&
            matches.front().confidence >= Engine::kAnswer && well_ahead(matches)))
        if (const Thing* about = uni_->thing(ranked.faq->about);
            about != nullptr && !about->main && about->facts.contains(asked_id))
          return fact(context);
      if (ranked.kind == Understood::Kind::faq) return ranked;
      if (main != nullptr && agrees(ranked, *main)) return fact(main);
      // "My passport got stolen on the metro" at a university whose page
      // says nothing of a loss: that the page does not say, not topics
      // that are no answer to it.
      // (Not with a word no entry knows: "passport stolen, can my cat
      // come" asks something else too.)
      if (main != nullptr && r.unknown == 0 && common_.attributes[asked].by_entries &&
          std::none_of(uni_->faq.begin(), uni_->faq.end(), [&](const Faq& f) { return engine_.gives(f, asked); }))
        return fact(main);
      return ranked;
    }
  }
  // "Where do I download it?" after an answer about no thing: the question
  // is read together with the topic just answered; so is "who gives it to
  // me?" or "去了给我开什么", with nothing of its own but "it" and a word
  // at most, after an answer about a place. "What exactly do I have to
  // put?" and "谁给开" (after the attendance certificate, which the school
  // issues) ask about that answer too: no word of their own, or one that
  // no other entry matches better ("那保险呢" after the passport item is a
  // new topic; so is "要是被拒了咋办" after how to submit).
  const bool only_it = r.attributes.empty() && r.leftover <= kLeftoverForPointer;
  const Faq* last = st_.context.faq.empty() ? nullptr : engine_.faq(uni_->id, st_.context.faq);
  auto matches_last = [&] {
    const auto matches = engine_.rank(uni_->id, r.analysis, 1);
    return matches.empty() || matches.front().faq == last;
  };
  const bool nothing_own = r.asks && !r.asks_next && r.step == 0 && only_it && (r.leftover == 0 || matches_last());
  // (A question with three words or more of its own that answer it alone
  // is not read with the last answer: "does that count for the other school
  // systems too?" after submitting is about what the registration is; "do
  // I also need to type its number?", two words, is about the permit page
  // just answered.)
  auto says_enough = [&] { return r.leftover >= kLeftoverAtMost && rank(r).kind == Understood::Kind::faq; };
  // The permit itself named is no place of its own ("can I still get my
  // permit extended?" after the rule on unpaid fees).
  const bool no_place = r.only_the_permit();
  const bool placeless = r.things.empty() || (nothing_own && no_place);
  if (last != nullptr && (r.refers_back || nothing_own) && placeless && (context == nullptr || only_it) &&
      !says_enough()) {
    // With no word of its own and no "it", it asks that answer again.
    // (Unless its words alone choose another entry surely and well ahead:
    // "how do i know when my permit is ready" after the submission is how
    // the progress is checked.)
    auto sure_elsewhere = [&] {
      const auto m = engine_.rank(uni_->id, r.analysis, 2);
      return well_ahead(m) && m.front().faq != last && m.front().confidence >= Engine::kSure;
    };
    if (nothing_own && !r.refers_back && !sure_elsewhere()) return answered_by(*last);
    Understood u = rank(read_after(r, *last));
    // ...but a word of its own that alone picks another entry for sure is
    // the question: "and if they reject it?" after how to submit.
    if (u.kind == Understood::Kind::faq && u.faq == last && r.leftover > 0) {
      const auto own = engine_.rank(uni_->id, r.analysis, 2);
      const bool clear = !own.empty() && own.front().confidence >= kOwnWordsSure && own.front().faq != last &&
                         (own.size() == 1 || own.front().score >= kOwnWordsLead * own[1].score);
      if (clear) return answered_by(*own.front().faq);
    }
    if (u.kind == Understood::Kind::faq) return u;
  }
  // "Do I need to do it again?" after a part not understood: nothing
  // known is "it".
  if (unknown_referent && r.things.empty() && r.attributes.empty()) {
    Understood u = rank(r);
    if (u.kind == Understood::Kind::faq) {
      u.options.insert(u.options.begin(), Engine::Match{u.faq, 0, 0, 0});  // offered, not answered
      u.kind = Understood::Kind::clarify;
    }
    return u;
  }
  // "What are its opening hours?" with nothing talked about (or long
  // ago): which place is "it"? Asked back, rather than guessed.
  // (Not a loss: "i lost my passport there" says where it happened, after
  // a city the page does not know.)
  if (unknown_referent && r.things.empty() && !r.attributes.empty() && r.leftover <= kLeftoverForPointer &&
      r.attributes.front() != attribute_index("loss")) {
    Understood u;
    u.kind = Understood::Kind::which_thing;
    u.attribute = r.attributes.front();
    return u;
  }
  // "What do I do (now)?" with nothing talked about: a question of nothing
  // but its question words has no words to rank ("what" alone matched an
  // entry's "wat do i upload"); it asks the process, the permit's steps.
  if (const Thing* main = uni_->main_thing(); main != nullptr && r.asks && r.attributes.empty() && r.things.empty() &&
                                             r.leftover == 0 && !r.refers_back && r.step == 0 && !lost &&
                                             context == nullptr && last == nullptr) {
    Understood steps;
    steps.kind = Understood::Kind::fact;
    steps.thing = main;
    steps.attribute = attribute_index("procedure");
    return steps;
  }
  // "And the payment there?" right after where the hospital is: "there"
  // is that place, and an entry about another place (the Immigration
  // Office's fee) is not the answer.
  Understood u = r.refers_back && r.things.empty() && context != nullptr && !context->main ? rank_about(r, context)
                                                                                           : rank_about(r);
  // "which option do i pick if its still the same passport" right after
  // the passport item: that answer (entry_choice.cpp).
  if (const Faq* last = topic_kept(u, r)) {
    Understood kept = answered_by(*last);
    if (!r.attributes.empty()) kept.asked = r.attributes.front();
    return kept;
  }
  // "I just arrived at the Immigration Office" ... "ok, done the photo,
  // which counter now?": an entry about the place talked about, close
  // behind one about a place not named (the hospital's counters), is the
  // answer. (Only for a question: "next week i'm moving into an
  // apartment" after the dormitory tells a new situation.)
  if (u.kind == Understood::Kind::faq && r.asks && context != nullptr && r.things.empty() && !u.faq->about.empty() &&
      u.faq->about != context->id) {
    const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
    if (const Engine::Match* own = close_behind(
            matches, [&](const Engine::Match& m) { return m.faq->about == context->id; }, kContextEntryClose)) {
      u.faq = own->faq;
      u.thing = context;
    }
  }
  if (!r.attributes.empty()) u.asked = r.attributes.front();
  return u;
}

}  // namespace permit::dialogs
