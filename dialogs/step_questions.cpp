// Questions about the steps: progress told ("got the form"), the step
// after a thing ("what next"), a step by the page's numbering ("step 3",
// "where do i start"). The part of answers.cpp's interpret() that reads a
// question as about the process rather than about a thing.

#include "dialogs/closeness.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

std::optional<Understood> Turn::about_steps(const Reading& r, const Thing* context, bool lost) const {
  // "Im at the immigration office now, got my number, whats next": at a
  // place whose inside the page describes, the next of its counters; so is
  // "im at the immigration office now" itself, and a step there told as
  // done ("got my number from reception").
  const Thing* here = r.here != nullptr ? r.here : place_here();
  // (Not the permit told done there: "just got my passport back with the
  // new permit" is the step after the place.)
  const bool permit_done = std::any_of(r.done.begin(), r.done.end(), [](const Thing* t) { return t->main; });
  const bool at_it = here != nullptr && !here->inside.empty() && r.attributes.empty() &&
                     (r.asks_next ? r.things.empty()
                                  : !r.asks && (r.here != nullptr || (r.tells_done && !permit_done)));
  if (at_it)
    if (const Faq* inside = engine_.faq(uni_->id, here->inside)) {
      Understood u = answered_by(*inside);
      u.thing = here;
      return u;
    }
  // "Got the form from the police station n the photo receipt": progress
  // told, nothing asked (walkthrough.cpp).
  if (const Thing* done = progress_told(r)) {
    Understood u;
    u.kind = Understood::Kind::next_step;
    u.thing = done;
    return u;
  }
  // "What next after the physical examination?": the step that follows.
  // (Not after a move told: "i moved off campus yesterday, what do i do
  // now" asks what the move calls for, the off-campus step itself.)
  const bool moved = [&] {
    if (!r.asks_next || r.tells_done) return false;
    const auto hits = engine_.date_words().find(r.analysis);
    return std::any_of(hits.begin(), hits.end(), [&](const PhraseIndex::Hit& h) { return common_.dates[h.id].id == "move"; });
  }();
  for (const Thing* t : r.things) {
    // The permit itself comes after nothing: "I lost my permit, what now?"
    // is not about the next step.
    if (!r.asks_next || t->main || step_at(*t) == nullptr || moved) continue;
    Understood u;
    u.kind = Understood::Kind::next_step;
    u.thing = t;
    return u;
  }
  // "Just tell me what step 3 is": the step the page numbers so; "where
  // is step 2?": the place of that step.
  // "What do I do first?", "what now", "现在该怎么办" right after an answer
  // that is itself numbered steps (a stolen passport: report it to the
  // police, then the exit-entry branch, then the embassy), or about a
  // loss: that answer, not the page's first step nor the step after the
  // answer's office; after "the page does not say what to do after a
  // loss", that again.
  // (Not a loss told anew: "我的护照丢了怎么办" after a stolen permit; nor
  // another attribute asked, unless with the next step: "anything else i
  // need to do".)
  const std::size_t loss = attribute_index("loss");
  const bool no_place = r.only_the_permit();
  const bool only_where = std::all_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t a) {
    return a == attribute_index("address") || a == attribute_index("procedure") || (r.asks_next && a != loss);
  });
  if (no_place && only_where && r.leftover <= kLeftoverWhatToDo &&
      (r.step == 1 || r.asks_next || engine_.says(Words::what_to_do, r.analysis))) {
    const Faq* last = st_.context.faq.empty() ? nullptr : engine_.faq(uni_->id, st_.context.faq);
    // (Numbered "1. ..." or, as HUST's page numbers its procedure, "I. ...".)
    const bool numbered = last != nullptr && (last->answer.en.starts_with("1. ") || last->answer.en.starts_with("I. "));
    if (last != nullptr && (numbered || engine_.gives(*last, loss)))
      return answered_by(*last);
    // (Said alone, or with an entry that gives no such steps: "护照被偷了"
    // at NENU, then "然后呢".)
    if (const Thing* main = uni_->main_thing(); main != nullptr && st_.context.attribute == "loss" &&
                                                (last == nullptr ? context == main : !engine_.gives(*last, loss))) {
      Understood u;
      u.kind = Understood::Kind::fact;
      u.thing = main;
      u.attribute = loss;
      return u;
    }
  }
  if (r.step == 1 && r.things.empty() && r.leftover == 0) {
    // (After a place's own answer, "what do i do first" asks that place's
    // steps, as "what do i do" would: not the page's first step.)
    if (context != nullptr && !context->main && st_.context.faq.empty()) {
      Reading again = r;
      again.step = 0;
      return interpret(again, context, lost);
    }
  }
  if (r.step > 0 && !r.asks_next) {
    Understood u;
    u.steps = page_steps(r.step);
    const std::size_t procedure = attribute_index("procedure");
    const bool what_step =
        std::all_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t a) { return a == procedure; });
    if (!u.steps.empty() && (what_step || u.steps.size() > 1 || u.steps.front()->thing.empty())) {
      u.kind = Understood::Kind::page_step;
      u.attribute = static_cast<std::size_t>(r.step);
      return u;
    }
    if (u.steps.size() == 1 && !u.steps.front()->thing.empty() && r.things.empty()) {
      if (const Thing* at = uni_->thing(u.steps.front()->thing)) {
        Reading there = r;
        there.step = 0;
        there.things = {at};
        return interpret(there, context, lost);
      }
    }
    // "办居留许可之前第一步要干嘛" at JSNU, whose page numbers no steps and
    // whose walkthrough starts with a question: the steps in order, as
    // "where do i start" gets them, not the entry of "Article 1".
    // (Not the first step of an event a rule of its own covers: "我要回国，
    // 第一步要干嘛" is Article 8's, applying a month before leaving.)
    const Thing* main = uni_->main_thing();
    if (u.steps.empty() && r.step == 1 && main != nullptr && r.leftover <= kLeftoverForPointer && what_step &&
        r.only_the_permit() &&
        engine_.date_words().find(r.analysis).empty()) {
      Understood steps;
      steps.kind = Understood::Kind::fact;
      steps.thing = main;
      steps.attribute = procedure;
      return steps;
    }
  }
  // "拿到以后下一步呢" right after where the letter is collected: the step
  // after the place talked about, before any step whose title shares a
  // word ("拿到"); so is it right after an entry about that place ("办完以
  // 后下一步呢" after where Nan Shan police station is). (Only one with a
  // step after it: "ok whats next" after where NENU's ISO is, the last
  // step's place, is read as before.)
  // (Looked at only for such a question: every question passes here.)
  if (r.asks_next && r.things.empty() && !moved && r.leftover <= kLeftoverForPointer && context != nullptr &&
      !context->main)
    if (const Node* context_step = step_at(*context)) {
      const Node* after_context = follow(context_step->next);
      const Faq* context_entry = st_.context.faq.empty() ? nullptr : engine_.faq(uni_->id, st_.context.faq);
      const bool about_context = context_entry == nullptr || context_entry->about == context->id;
      if (about_context && after_context != nullptr && after_context->kind != Node::Kind::end) {
        Understood u;
        u.kind = Understood::Kind::next_step;
        u.thing = context;
        return u;
      }
    }
  // "Next step after the accommodation registration?": no place named, but
  // a step's title.
  if (r.asks_next && r.things.empty() && !moved)
    if (const Node* step = step_titled(r)) {
      Understood u;
      u.kind = Understood::Kind::next_step;
      u.steps = {step};
      return u;
    }
  // "What do I do with it?" after the letter, "whats next" after the photo:
  // the step after the thing just talked about; after the last step, what
  // the page's end says comes then.
  // (The permit's own office too, when the answer just given was a step
  // there and no entry: CQUPT's submission at the Exit-Entry Division,
  // told as the step after the letter, then "下一步呢".)
  // (Or a fact of that office the answer gave: "where do i submit all the
  // documents", answered with its address and documents.)
  const bool step_of_main = context != nullptr && context->main && st_.context.faq.empty() &&
                            (st_.context.attribute.empty() ||
                             (!engine_.says(Words::what_to_do, r.analysis) &&
                              (common_.attributes[attribute_index(st_.context.attribute)].of_a_place ||
                               st_.context.attribute == "documents")));
  if (r.asks_next && r.things.empty() && (r.refers_back || r.leftover == 0) && context != nullptr &&
      (!context->main || step_of_main) && (step_follows(*context) || last_step_answered(*context))) {
    Understood u;
    u.kind = Understood::Kind::next_step;
    u.thing = context;
    return u;
  }
  // "What now?" right after what to do when it happens ("it got rejected":
  // modify and submit again), an answer about no place: that answer.
  // (But after an entry that is a step of the guide, cited alike, "然后呢"
  // asks the step after it: CPU's insurance item, then the accommodation.)
  // (Only an entry that alone cites that item: JSNU's Article 9 holds the
  // overstay fine as well as applying a month ahead.)
  const Faq* last = r.asks_next && r.things.empty() && r.leftover == 0 && (context == nullptr || context->main) &&
                            !st_.context.faq.empty()
                        ? engine_.faq(uni_->id, st_.context.faq)
                        : nullptr;
  // "下一步呢" right after "where do i submit everything" at CQUPT, answered
  // by the entry of Step 4 at the permit's own office ("Step 4 and address
  // 3"): the step after Step 4, not the ranker's guess from two words.
  // (The next step asked as such: "what do i do now" after a loss told is
  // what to do about it.)
  if (const Thing* about = last != nullptr && last->source ? uni_->thing(last->about) : nullptr;
      about != nullptr && about->main && !engine_.says(Words::what_to_do, r.analysis))
    for (const Node* step : walkthrough_steps()) {
      // (Step 4 of "Step 4 and address 3".)
      if (step->thing == about->id && step->source && !step->next.empty() && same_source(*step->source, *last->source)) {
        Understood u;
        u.kind = Understood::Kind::next_step;
        u.steps = {step};
        return u;
      }
    }
  if (last != nullptr && last->about.empty()) {
    const bool alone = last->source && std::count_if(uni_->faq.begin(), uni_->faq.end(), [&](const Faq& f) {
                                         return f.source && cites_alike(*f.source, *last->source);
                                       }) == 1;
    for (const Node* step : walkthrough_steps())
      if (alone && step->source && cites_alike(*step->source, *last->source) && !step->next.empty()) {
        Understood u;
        u.kind = Understood::Kind::next_step;
        u.steps = {step};
        return u;
      }
    return answered_by(*last);
  }
  // "it got approved, what next" right after how to submit at CPU: words of
  // their own, but only those that answer the question after that step
  // (the review's result), so the next step is the one after that answer.
  if (r.asks_next && r.things.empty() && r.leftover > 0 && !told_now_.empty() && (context == nullptr || context->main) &&
      !st_.context.faq.empty())
    if (const Faq* entry = engine_.faq(uni_->id, st_.context.faq); entry != nullptr && entry->source)
      for (const Node* step : walkthrough_steps())
        if (step->source && cites_alike(*step->source, *entry->source))
          if (const Node* next = follow(step->next); next != nullptr && answers_told(*next)) {
            Understood u;
            u.kind = Understood::Kind::next_step;
            u.steps = {step};
            return u;
          }
  return std::nullopt;
}

}  // namespace permit::dialogs
