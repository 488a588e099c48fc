// An attribute asked of one thing, named or pointed at ("where is the
// Immigration Office?", "its hours?"): the thing's own fact, an entry that
// says it better, or that the page does not say. The part of interpret()
// (answers.cpp) for a question with a thing to ask it of.

#include "dialogs/closeness.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

Understood Turn::fact_of(const Thing* t, const Reading& r) const {
  const std::size_t asked = r.attributes.front();
  Understood u;
  u.kind = Understood::Kind::fact;
  u.thing = t;
  u.attribute = asked;
  // (Not "how much" beside a taxi: "打车过去大概多少钱" asks the fare, which
  // the way there gives, not the office's fee.)
  const bool fare = common_.attributes[asked].id == "transport" && r.attributes.size() > 1 &&
                    common_.attributes[r.attributes[1]].id == "fee";
  if (r.attributes.size() > 1 && !fare) u.also = r.attributes[1];
  return u;
}

// The ranker's closest entry is the thing's own fact: both agree.
// ...or the first of its close entries that gives what is asked is
// ("能用现金交费吗": the fee entry, behind how long it takes).
bool Turn::agrees_with(const Understood& ranked, const Thing& t, std::size_t asked) const {
  auto f = t.facts.find(common_.attributes[asked].id);
  if (f == t.facts.end() || f->second.faq.empty() || ranked.options.empty()) return false;
  if (ranked.options.front().faq->id == f->second.faq) return true;
  const auto giving = std::find_if(ranked.options.begin(), ranked.options.end(),
                                   [&](const Engine::Match& m) { return engine_.gives(*m.faq, asked); });
  return giving != ranked.options.end() && giving->faq->id == f->second.faq;
}

Understood Turn::of_thing(const Reading& r, const Thing* thing, bool lost) const {
  const std::size_t asked = r.attributes.front();
  const std::string& asked_id = common_.attributes[asked].id;
  auto fact = [&](const Thing* t) { return fact_of(t, r); };
  auto agrees = [&](const Understood& ranked, const Thing& t) { return agrees_with(ranked, t, asked); };
  // The thing's own fact; without one, an entry that gives it ("my
  // residence permit was stolen": the entry on a lost permit), or that
  // the page does not say.
  const bool own_fact = thing->facts.contains(common_.attributes[asked].id);
  // "is that a problem" right after the attendance rule (about the
  // Immigration Office, which has no penalty of its own): "that" is
  // what the student told, as the answer just given settles it (said
  // again, not "the page gives no penalty" before it: a refusal is
  // what is at stake).
  if (!own_fact && !lost && asked_id == "penalty" && r.refers_back && r.things.empty() && r.leftover == 0 &&
      !st_.context.faq.empty())
    if (const Faq* last = engine_.faq(uni_->id, st_.context.faq); last != nullptr) return answered_by(*last);
  if (r.leftover == 0 && !own_fact && common_.attributes[asked].by_entries) {
    Understood ranked = rank(r);
    if (ranked.kind == Understood::Kind::faq && engine_.gives(*ranked.faq, asked)) {
      ranked.asked = asked;
      return ranked;
    }
    // Close but not sure (a lost permit or a lost passport?): the
    // entries are offered, rather than "the page does not say".
    const bool offered = std::any_of(ranked.options.begin(), ranked.options.end(),
                                     [&](const Engine::Match& m) { return engine_.gives(*m.faq, asked); });
    // (Asked, so that one of them the question names is chosen:
    // "我的居留许可被偷了", Turn::giving.)
    if (ranked.kind == Understood::Kind::clarify && offered) {
      ranked.asked = asked;
      return ranked;
    }
  }
  if (r.leftover == 0) return fact(thing);
  // More words than "attribute of thing": an entry may say it better
  // ("my wife needs a permit, where does she apply?").
  // (The hours of the permit's own office named, "出入境周一开门吗": that
  // office's, never an entry about another place's hours.)
  const bool hours_of_office = thing->main && common_.attributes[asked].id == "hours";
  Understood ranked = rank_about(r, r.things.empty() || hours_of_office ? thing : nullptr);
  ranked.asked = asked;
  // "续签材料最晚哪天要交" from a student who gave their expiry: the
  // permit's own time limit, counted from their date, not an entry
  // with no rule of a date that a word beside chose ("交" is paying as
  // well as handing in: the fee).
  // (The expiry, when the rule of the permit's own time limit counts
  // from it: not the letter's date, told at HUST, whose rule is the
  // copy's, nor a date told before a switch to JSNU.)
  const bool dated = [&] {
    if (uni_->id != st_.university) return false;
    const auto f = thing->facts.find(asked_id);
    const Faq* rule = f == thing->facts.end() || f->second.faq.empty() ? nullptr : engine_.faq(uni_->id, f->second.faq);
    if (rule == nullptr) return false;
    const auto kinds = own_dates_from(rule->source);
    return std::find(kinds.begin(), kinds.end(), "expiry") != kinds.end();
  }();
  // (Not when a payment is what is asked the time of: "费用什么时候交"
  // is paid when the permit is ready, not by the application's day.)
  const bool of_payment = std::any_of(r.attributes.begin(), r.attributes.end(), [&](std::size_t a) {
    return common_.attributes[a].id == "fee" || common_.attributes[a].id == "payment";
  });
  if (thing->main && asked_id == "deadline" && own_fact && dated && !of_payment &&
      (ranked.kind != Understood::Kind::faq || own_dates_from(ranked.faq->source).empty()))
    return fact(thing);
  // ...if it is about that thing or gives what is asked: "what paper do
  // I need from the police before I start the extension?" is not
  // answered by when to apply.
  if (ranked.kind == Understood::Kind::faq) {
    // "学期注册在哪弄": the thing's own fact (where the registration is
    // done), then the entry the words chose (how to find it there),
    // rather than that entry with "the page does not give the address".
    // A name has no evidence words, so any entry "gives" it: "which
    // police station is it?" gets the station's name first too.
    const bool name = common_.attributes[asked].id == "name";
    // "What's the address of that office?" right after where to submit:
    // the place pointed at has its own answer; an entry about no one
    // place (CQUPT's list of addresses) or another is not it.
    // (Not with words enough of its own: "passport changed this year,
    // where in the form do i put that" is about the passport item.)
    const bool pointed_own = common_.attributes[asked].of_a_place && r.refers_back && r.things.empty() &&
                             ranked.faq->about != thing->id && r.leftover < kLeftoverAtMost;
    if (own_fact && pointed_own && !name) return fact(thing);
    // "那体检本身要多少钱" after the taxi fare: a fee asked is the thing's
    // own fee entry, not the entry of the way there the words chose
    // (whose fare is a sum too).
    if (const auto own = thing->facts.find("fee"), way = thing->facts.find("transport");
        common_.attributes[asked].id == "fee" && own != thing->facts.end() && way != thing->facts.end() &&
        !own->second.faq.empty() && own->second.faq != ranked.faq->id && way->second.faq == ranked.faq->id &&
        r.attributes.size() == 1)
      return fact(thing);
    // ("wat documnets do i submit at the exit entry division": the
    // office's own list, then the entry on submitting the verb chose.)
    const auto own = thing->facts.find(common_.attributes[asked].id);
    const bool written_out = own != thing->facts.end() && own->second.faq.empty() && own->second.text &&
                             ranked.faq->about == thing->id;
    // ("my residence permit expires in january. how much?": a fee asked,
    // and the entry the expiry chose is the fine for overstaying, whose
    // sum is no fee.)
    const std::size_t penalty = attribute_index("penalty");
    const bool fine_for_fee = common_.attributes[asked].id == "fee" && engine_.gives(*ranked.faq, penalty) &&
                              std::find(r.attributes.begin(), r.attributes.end(), penalty) == r.attributes.end();
    if (own_fact && (name || written_out || fine_for_fee || !engine_.gives(*ranked.faq, asked))) {
      Understood u = fact(thing);
      u.faq = ranked.faq;
      return u;
    }
    if (!thing->main && ranked.faq->about != thing->id && !engine_.gives(*ranked.faq, asked)) return fact(thing);
    if (answered_by_another_place(*ranked.faq, *thing, asked, r)) return fact(thing);
    // (The place asked about stays the context: see answer_question.)
    if (!thing->main) ranked.thing = thing;
    return ranked;
  }
  // ("but the residence permit page got damaged in the washing
  // machine": a loss asked of the permit, and the one entry that gives
  // it well ahead of the rest, whatever words no entry knows.)
  if (const auto& o = ranked.options; !own_fact && common_.attributes[asked].by_entries &&
                                      ranked.kind != Understood::Kind::faq && !o.empty() &&
                                      engine_.gives(*o.front().faq, asked) &&
                                      (o.size() == 1 || o.front().score >= Engine::kLead * o[1].score)) {
    Understood u = answered_by(*o.front().faq);
    u.asked = asked;
    return u;
  }
  // A word no entry knows ("can I bring my cat?"): "attribute of
  // thing" is not the question.
  if (r.unknown > 0) return ranked;
  if (agrees(ranked, *thing)) return fact(thing);
  // With many more words, or with the ranker's closest entry another
  // than the thing's own, it is not either.
  const auto f = thing->facts.find(common_.attributes[asked].id);
  const bool elsewhere = f != thing->facts.end() && !f->second.faq.empty() && !ranked.options.empty();
  if (r.leftover >= kLeftoverAtMost || elsewhere) return ranked;
  // "我的居留许可那页被水泡坏了": no fact of the thing's own, but close
  // entries that give it (the lost or damaged permit's) are offered,
  // rather than "the page does not say".
  if (!own_fact && common_.attributes[asked].by_entries && ranked.kind != Understood::Kind::faq &&
      std::any_of(ranked.options.begin(), ranked.options.end(),
                  [&](const Engine::Match& m) { return engine_.gives(*m.faq, asked); }))
    return ranked;
  return fact(thing);
}

}  // namespace permit::dialogs
