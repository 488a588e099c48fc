// What is done inside a place (NENU's Immigration Office: its counters),
// asked where one is or of the place named: "where do I hand in my
// documents?" there, "what do i need to do at the immigration office".

#include "dialogs/closeness.hpp"
#include "dialogs/turn.hpp"

namespace permit::dialogs {

std::optional<Understood> Turn::inside_place(const Reading& r, std::size_t asked, const Thing* thing) const {
  // "Where do I hand in my documents?" from a student at the Immigration
  // Office: where inside it, which its steps say (the counter), not its
  // address.
  // (Only where that entry is nearly as close as what the words choose:
  // "where do I collect my passport" there is the receipt's entry, "where
  // do i pay for the visa" at the hospital the visa fee's; and not
  // "what's the address here".)
  if (const Thing* here = r.within != nullptr ? r.within : place_here();
      here != nullptr && !here->inside.empty() && common_.attributes[asked].id == "address" &&
      (thing == here || thing == nullptr) && !engine_.says(Words::address_named, r.analysis))
    if (const Faq* inside = engine_.faq(uni_->id, here->inside)) {
      // ("Where do i go next?" there is its next counter, whatever the
      // words choose.)
      const auto matches = engine_.rank(uni_->id, r.analysis, kEveryEntry);
      const Engine::Match* close = close_behind(
          matches, [&](const Engine::Match& m) { return m.faq == inside; }, kContextFactClose);
      if (r.asks_next || (close != nullptr && close->confidence >= Engine::kOffer)) {
        Understood u = answered_by(*inside);
        u.thing = here;
        return u;
      }
    }
  // "What do i need to do at the immigration office": what is done
  // inside it (its counters), not the permit's steps, though the office
  // is the permit's own.
  if (r.within != nullptr && !r.within->inside.empty() && common_.attributes[asked].id == "procedure")
    if (const Faq* inside = engine_.faq(uni_->id, r.within->inside)) {
      Understood u = answered_by(*inside);
      u.thing = r.within;
      return u;
    }
  return std::nullopt;
}

}  // namespace permit::dialogs
