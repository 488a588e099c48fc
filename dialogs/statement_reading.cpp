// A statement the last reply could not place ("我学费还没交"), read with
// the question that follows it, when that reading answers better.

#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

// "我学费还没交" could not be placed, and its topics were offered; then
// "还能办居留许可吗" asks about it: read with it, the question is about
// unpaid fees, not the holidays. Only when that reading is an answer, and
// one of the topics offered, or the question alone is no answer.
std::optional<Reading> Turn::with_statement(const Reading& question, const Thing* context, bool lost) const {
  // (Nothing kept, on nearly every message: nothing to do.)
  if (statement_.empty()) return std::nullopt;
  // (A question naming a place or office of its own is about that one;
  // "what next" is read by the steps' own rules.)
  const bool names_place = std::any_of(question.things.begin(), question.things.end(), [](const Thing* t) { return !t->main; });
  if (!question.asks || question.asks_next || names_place) return std::nullopt;
  Reading with = read(engine_.analyse(statement_ + " " + question.analysis.text));
  // ("my attendance is like 75%", then "will that be a problem": "that" is
  // what the statement told, now part of the reading, not the place
  // talked about before it.)
  with.refers_back = false;
  // Where an entry stands among the topics offered (the statement's
  // closest first); past the end when not offered.
  auto place = [&](const Faq* f) {
    return f == nullptr ? offered_.end() : std::find(offered_.begin(), offered_.end(), "faq:" + f->id);
  };
  const Understood u = understand(with, context, false);
  const Understood alone = understand(question, context, lost);
  // ("我老婆也跟我在重庆", then "她的居留许可怎么办?" at CQUPT: the family
  // member the page never mentions is who "she" is, said again.)
  if (!u.unmentioned.empty() && alone.unmentioned.empty() && of_third_person(question.analysis)) return with;
  // ("That" right after the statement, which was not placed, is the
  // statement: alone, it would point past it, to the place before, and
  // say that the page gives that place no such fact.)
  const bool past_statement = question.refers_back && lost && question.things.empty() &&
                              alone.kind == Understood::Kind::fact && alone.thing == context && context != nullptr &&
                              !context->facts.contains(common_.attributes[alone.attribute].id);
  const bool answered_alone = answers(alone) && !past_statement;
  const auto alone_at = answered_alone ? place(answering_entry(alone)) : offered_.end();
  if (answers(u)) {
    if (answered_alone && place(answering_entry(u)) >= alone_at) return std::nullopt;
    return with;
  }
  // (Read with it, unsure between topics offered before the one the
  // question alone answers, itself offered: "can i still extend my
  // residence permit" after "i havent paid this years tuition" is about the
  // fees first, and asking which is better than the time to extend. Not
  // when the question alone is about a topic the statement is not:
  // "what kind of photo" after "i have my passport and JW202 ready".)
  if (u.kind != Understood::Kind::clarify || u.options.empty()) return std::nullopt;
  const auto first = place(u.options.front().faq);
  if (answered_alone && (alone_at == offered_.end() || first >= alone_at)) return std::nullopt;
  if (!answered_alone && first == offered_.end()) return std::nullopt;
  return with;
}

}  // namespace permit::dialogs
