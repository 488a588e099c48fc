// Which university a student is at: the numbered list, a name inside a
// message, and what picking one brings back (a date or a question sent
// before it).

#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <cctype>

namespace permit::dialogs {

std::string Turn::university_list() {
  st_.choices = engine_.university_choices();
  return engine_.university_list(lang);
}

const University* Turn::find_university_in(const std::string& norm, std::string* rest) const {
  const University* best = nullptr;
  std::size_t best_length = 0;
  for (const auto& u : engine_.scripts().universities) {
    for (const auto& alias : u.aliases) {
      if (alias.size() <= best_length || !contains_phrase(norm, alias)) continue;
      // A city inside a longer message is a place, not a choice: "can I
      // travel to Wuhan?" must not move a JSNU student to HUST.
      const bool is_city = u.city && (alias == normalise(u.city->en) || alias == normalise(u.city->zh));
      if (is_city && uni_ != nullptr && norm != alias) continue;
      best = &u;
      best_length = alias.size();
    }
  }
  if (best != nullptr && rest != nullptr) {
    // Longest first: "chongqing youdian daxue" goes whole, not "chongqing"
    // out of it with "youdian daxue" left in the question.
    std::vector<const std::string*> aliases;
    for (const auto& alias : best->aliases) aliases.push_back(&alias);
    std::stable_sort(aliases.begin(), aliases.end(), [](const auto* a, const auto* b) { return a->size() > b->size(); });
    std::string remaining = norm;
    for (const auto* alias : aliases)
      if (auto at = remaining.find(*alias); at != std::string::npos && contains_phrase(remaining, *alias))
        remaining.erase(at, alias->size());
    *rest = normalise(remaining);
  }
  return best;
}

std::string Turn::strip_filler(const std::string& text) const {
  std::string out = text;
  auto it = common_.commands.find("filler");
  if (it == common_.commands.end()) return normalise(out);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  for (const auto& filler : it->second) {
    if (filler.empty()) continue;  // the loader refuses these; an empty one would match forever
    // Whole words for Latin fillers: "i am at" must not eat "i am attending".
    std::size_t from = 0;
    for (auto at = out.find(filler, from); at != std::string::npos; at = out.find(filler, from)) {
      const std::size_t after = at + filler.size();
      const bool left_ok = !word(filler.front()) || at == 0 || !word(out[at - 1]);
      const bool right_ok = !word(filler.back()) || after == out.size() || !word(out[after]);
      if (left_ok && right_ok) {
        out.erase(at, filler.size());
        from = at;
      } else {
        from = at + 1;
      }
    }
  }
  return normalise(out);
}

// What was last answered, at `university`, as Context::before holds it (""
// for nothing).
std::string Turn::last_answered(const std::string& university) const {
  if (university.empty()) return "";
  // A fact of the permit itself ("where do I apply?") is asked the same way
  // anywhere; an entry is asked again by its first sample question.
  if (!st_.context.attribute.empty()) return university + ":fact:" + st_.context.attribute;
  if (!st_.context.faq.empty()) return university + ":faq:" + st_.context.faq;
  return "";
}

void Turn::pick_university(const University& u) {
  if (st_.university != u.id) {
    st_.node.clear();
    st_.path.clear();
    st_.answers.clear();
    st_.ticked.clear();
    // What was being talked about belonged to the other university; a
    // date given before any university is kept.
    const std::string pending = st_.context.pending_date;
    std::string before = last_answered(st_.university);
    clear_context();
    st_.context.pending_date = pending;
    st_.context.before = std::move(before);
    touch_context();
  }
  st_.university = u.id;
  uni_ = &u;
  say(text("university_set"));
  // Dates given before the pick: their deadlines now, by this university's rules.
  if (!st_.dates.empty()) {
    const auto dates = st_.dates;
    for (const auto& [kind, iso_date] : dates)
      if (auto d = parse_iso(iso_date); d && date_kind(kind) != nullptr) note_date(kind, Moment{*d, std::nullopt}, nullptr);
    schedule_reminders();
  }
  if (!st_.context.pending_date.empty()) {
    const std::string pending = std::exchange(st_.context.pending_date, "");
    if (auto d = parse_iso(pending)) {
      DateFound f;
      f.status = DateFound::Status::found;
      f.date = *d;
      f.text = pending;
      // What the date is, now that the university's rules are known.
      if (const std::string kind = meaning_of(Analysis{}, f); !kind.empty()) {
        note_date(kind, Moment{*d, std::nullopt}, nullptr);
        schedule_reminders();
      } else {
        ask_meaning(f);
      }
    }
  }
  // A question sent before the pick is answered now, or recorded if there
  // is no answer.
  if (!st_.deferred_question.empty()) {
    std::string deferred = std::move(st_.deferred_question);
    st_.deferred_question.clear();
    handle_text(deferred);
  }
}

}  // namespace permit::dialogs
