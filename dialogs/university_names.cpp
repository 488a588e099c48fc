// Which universities a message names: every alias found in one pass, the
// one meant (the student's own, not one left or denied), the message
// without their names, and where a city stays in the text (a date's word:
// "上周六到的徐州").

#include "dialogs/questions.hpp"
#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <bitset>
#include <optional>
#include <string_view>
#include <vector>

namespace permit::dialogs {

namespace {

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "I transferred from HUST to JSNU", "我是从重邮转过来的", "I used to study
// at NENU": the university left.
bool left(std::string_view before) {
  before = trimmed(before);
  for (std::string_view w : {" from", " used to study at", " used to be at", " studied at", "从", "以前在", "之前在", "原来在"})
    if (before.ends_with(w) || before == w.substr(w.front() == ' ' ? 1 : 0)) return true;
  return false;
}

// `norm` without the aliases of `named`, longest first: "chongqing youdian
// daxue" goes whole, not "chongqing" out of it with "youdian daxue" left in
// the question.
std::string without_aliases(const std::string& norm, const std::vector<const University*>& named) {
  std::vector<const std::string*> aliases;
  for (const University* u : named)
    for (const auto& alias : u->aliases) aliases.push_back(&alias);
  std::stable_sort(aliases.begin(), aliases.end(), [](const auto* a, const auto* b) { return a->size() > b->size(); });
  std::string remaining = norm;
  for (const auto* alias : aliases)
    if (auto at = remaining.find(*alias); at != std::string::npos && contains_phrase(remaining, *alias)) {
      remaining.erase(at, alias->size());
      // "..., not HUST": the denial goes with the name.
      const std::string_view before = trimmed(std::string_view(remaining).substr(0, at));
      if (const std::size_t length = denial_at_end(before); length > 0)
        remaining.erase(before.size() - length, at - (before.size() - length));
    }
  return normalise(remaining);
}

}  // namespace

// Every university `norm` names, in one pass over their aliases: for each,
// the longest alias naming it as the student's (not after "not"), and the
// longest after "from" ("I transferred from HUST to JSNU"). A city inside
// a longer message is a place, not a choice: "can I travel to Wuhan?" must
// not move a JSNU student to HUST.
UniversityNames Turn::names_in(const std::string& norm) const {
  UniversityNames names;
  // The bytes of the message: an alias whose first byte is not among them
  // is not in it, and is passed over without a search (searching every
  // alias of every university was some 60 searches per message).
  std::bitset<256> bytes;
  for (const char c : norm) bytes.set(static_cast<unsigned char>(c));
  std::vector<const University*> all;
  // ...unless the message asks the last question again there: "what about
  // wuhan", "那重庆呢" (not "and can i travel to wuhan?"). Read only for a
  // city, which few messages name.
  std::optional<bool> asks_again;
  auto again = [&] {
    if (!asks_again) asks_again = asks_it_again(norm);
    return *asks_again;
  };
  for (const auto& u : engine_.scripts().universities) {
    UniversityNames::Found found{&u};
    bool any = false;
    for (const auto& alias : u.aliases) {
      if (alias.empty() || !bytes.test(static_cast<unsigned char>(alias.front()))) continue;
      std::size_t at = find_phrase(norm, alias);
      if (at == std::string::npos) continue;
      const bool is_city = u.city && (alias == normalise(u.city->en) || alias == normalise(u.city->zh));
      for (; at != std::string::npos; at = find_phrase(norm, alias, at + 1)) {
        // ("Chongqing University", "重庆大学": another university, named
        // after the same city; CQUPT's own longer names are aliases.)
        const std::string_view after = std::string_view(norm).substr(at + alias.size());
        if (is_city && (after.starts_with(" university") || after.starts_with("大学"))) continue;
        // (Its name leaves the question all the same: "重庆出入境管理处在哪"
        // asks for the exit-entry office.)
        any = true;
        if (is_city && uni_ != nullptr && norm != alias && !again()) continue;
        const std::string_view before = std::string_view(norm).substr(0, at);
        if (denial_at_end(before) > 0) continue;
        std::size_t& longest = left(before) ? found.left : found.named;
        // ("my sister studies at HUST, im at NENU": NENU is theirs.)
        std::string_view said = before;
        while (said.ends_with(" ")) said.remove_suffix(1);
        for (const auto& own : common_.commands.at("own_university"))
          if (said.ends_with(own)) found.own = true;
        if (alias.size() > longest) {
          longest = alias.size();
          if (&longest == &found.named) found.at = at;
        }
      }
    }
    if (!any) continue;
    all.push_back(&u);
    names.found.push_back(found);
  }
  // Nothing named leaves the text as it is (normalise is idempotent).
  names.rest = all.empty() ? norm : without_aliases(norm, all);
  return names;
}

bool Turn::city_in_date_word(const Analysis& a, const UniversityNames& names) const {
  const auto hits = engine_.date_words().find(a);
  // (Only where the city ends what is told: "上周六到的徐州", "到了武汉以后";
  // not a place in it, "下周一到武汉市市民之家", "明天到长春出入境管理局": a
  // visit planned, not an arrival.)
  auto ends_there = [&](std::size_t end) {
    const std::string_view rest = std::string_view(a.text).substr(end);
    constexpr std::string_view kAfter[] = {" ", ",", ".", "?", "!", "，", "。", "？", "！", "以后", "之后", "后", "了", "的"};
    return rest.empty() || std::any_of(std::begin(kAfter), std::end(kAfter), [&](std::string_view w) { return rest.starts_with(w); });
  };
  return std::any_of(hits.begin(), hits.end(), [&](const PhraseIndex::Hit& h) {
    if (!ends_there(h.end)) return false;
    const std::string_view word = std::string_view(a.text).substr(h.begin, h.end - h.begin);
    return std::any_of(names.found.begin(), names.found.end(), [&](const UniversityNames::Found& f) {
      const auto& city = f.university->city;
      return city && (word.find(normalise(city->zh)) != std::string_view::npos ||
                      word.find(normalise(city->en)) != std::string_view::npos);
    });
  });
}

std::vector<const University*> UniversityNames::named() const {
  std::vector<const Found*> named;
  for (const auto& f : found)
    if (f.named > 0) named.push_back(&f);
  std::stable_sort(named.begin(), named.end(), [](const Found* a, const Found* b) { return a->at < b->at; });
  std::vector<const University*> out;
  for (const Found* f : named) out.push_back(f->university);
  return out;
}

const University* UniversityNames::chosen(bool has_university) const {
  // "from HUST" alone, from a student with no university yet, is HUST; from
  // a student at NENU, where they came from.
  for (const auto& f : found)
    if (f.own && f.named > 0) return f.university;
  for (auto length : {&Found::named, &Found::left}) {
    if (length == &Found::left && has_university) break;
    const University* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& f : found)
      if (f.*length > best_length) {
        best = f.university;
        best_length = f.*length;
      }
    if (best != nullptr) return best;
  }
  return nullptr;
}

}  // namespace permit::dialogs
