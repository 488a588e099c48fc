// What was talked about, while it lasts: the thing (and the one before
// it), where the student said they are, and what "it" or "that office"
// points at.

#include "dialogs/dates.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>

namespace permit::dialogs {

void Turn::end_turn() {
  if (!thing_at_start_.empty() && !st_.context.thing.empty() && st_.context.thing != thing_at_start_)
    st_.context.thing_before = thing_at_start_;
}

const Thing* Turn::pointed_at(const Reading& r, const Thing* context) const {
  if (r.pointed_as.empty() || context == nullptr) return context;
  auto named_so = [&](const Thing& t) {
    return std::any_of(t.names.begin(), t.names.end(), [&](const std::string& n) { return contains_phrase(n, r.pointed_as); });
  };
  if (named_so(*context)) return context;
  // (Where neither names it, the last thing still: the reply then says
  // what the page gives of it, not of an entry the words alone choose.)
  const Thing* before = st_.context.thing_before.empty() ? nullptr : uni_->thing(st_.context.thing_before);
  return before != nullptr && named_so(*before) ? before : context;
}

const Thing* Turn::context_thing() const {
  if (uni_ == nullptr || st_.context.thing.empty()) return nullptr;
  return uni_->thing(st_.context.thing);
}

const Thing* Turn::place_here() const {
  if (uni_ == nullptr || st_.context.here.empty()) return nullptr;
  return uni_->thing(st_.context.here);
}

int Turn::days_past_expiry() const {
  const auto expiry = parse_iso(st_.expiry());
  return expiry && uni_ != nullptr && uni_->id == st_.university ? days_between(*expiry, today_) : 0;
}

// Whether the entry last answered gives this attribute.
bool Turn::last_answer_gives(std::size_t attribute) const {
  const Faq* last = st_.context.faq.empty() ? nullptr : engine_.faq(uni_->id, st_.context.faq);
  return last != nullptr && engine_.gives(*last, attribute);
}

}  // namespace permit::dialogs
