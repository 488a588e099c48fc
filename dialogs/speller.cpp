#include "dialogs/speller.hpp"

#include <algorithm>
#include <cstdlib>

namespace permit::dialogs {
namespace {

constexpr std::size_t kMinLength = 5;
constexpr std::size_t kTwoEditsFrom = 9;

template <typename F>
void for_each_delete(std::string_view word, F&& f) {
  std::string shorter;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (i > 0 && word[i] == word[i - 1]) continue;  // "pass" minus either s is the same
    shorter.assign(word.substr(0, i));
    shorter.append(word.substr(i + 1));
    f(shorter);
  }
}

// Whether `word` is `candidate` with one vowel left out: texting drops
// vowels ("regster", "medcal", "countr"), so such a guess goes before
// other guesses as close ("countr" is "counter" rather than "country").
bool vowel_left_out(std::string_view word, std::string_view candidate) {
  if (candidate.size() != word.size() + 1) return false;
  std::size_t i = 0;
  while (i < word.size() && word[i] == candidate[i]) ++i;
  return std::string_view("aeiou").find(candidate[i]) != std::string_view::npos &&
         word.substr(i) == candidate.substr(i + 1);
}

}  // namespace

int edit_distance(std::string_view a, std::string_view b, int limit) {
  const auto n = a.size(), m = b.size();
  if (static_cast<int>(n > m ? n - m : m - n) > limit) return limit + 1;
  // Three rows: the one before the previous is needed for swaps.
  std::vector<int> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = static_cast<int>(i);
    int row_best = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      int d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      current[j] = d;
      row_best = std::min(row_best, d);
    }
    if (row_best > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[m], limit + 1);
}

void Speller::add(std::string_view word) {
  if (word.empty()) return;
  auto [it, fresh] = frequency_.emplace(std::string(word), 0);
  ++it->second;
  if (!fresh || word.size() + 1 < kMinLength) return;
  // (Captured by name: clang before 16 cannot capture a structured binding.)
  for_each_delete(word,
                  [this, &stored = it->first](const std::string& shorter) { deletes_[shorter].push_back(stored); });
}

std::string Speller::correct(std::string_view word) const {
  if (known(word)) return {};
  if (word.size() + 1 == kMinLength) return unswapped(word);
  if (word.size() < kMinLength) return {};
  const int limit = word.size() >= kTwoEditsFrom ? 2 : 1;
  // Symmetric deletes: the word itself, or it minus one letter, against
  // the vocabulary's words minus one letter (and the words themselves).
  std::vector<std::string> candidates;
  auto collect = [&](const std::string& key) {
    if (auto it = deletes_.find(key); it != deletes_.end())
      candidates.insert(candidates.end(), it->second.begin(), it->second.end());
    if (frequency_.contains(key)) candidates.push_back(key);
  };
  collect(std::string(word));
  for_each_delete(word, collect);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::string best;
  int best_distance = limit + 1;
  bool best_vowel = false;
  std::size_t best_frequency = 0;
  bool tie = false;
  for (const auto& c : candidates) {
    const int d = edit_distance(word, c, limit);
    if (d > limit) continue;
    const bool vowel = d == 1 && vowel_left_out(word, c);
    const std::size_t f = frequency_.at(c);
    const bool level = d == best_distance && vowel == best_vowel;
    if (d < best_distance || (d == best_distance && vowel && !best_vowel) || (level && f > best_frequency)) {
      best = c;
      best_distance = d;
      best_vowel = vowel;
      best_frequency = f;
      tie = false;
    } else if (level && f == best_frequency) {
      tie = true;
    }
  }
  // Two equally good guesses: better to leave the word as it is.
  return tie ? std::string{} : best;
}

std::string Speller::unswapped(std::string_view word) const {
  // Each of the three swaps, tried against the vocabulary.
  std::string found;
  for (std::size_t i = 0; i + 1 < word.size(); ++i) {
    std::string swapped(word);
    std::swap(swapped[i], swapped[i + 1]);
    if (swapped == word || !known(swapped) || swapped == found) continue;
    if (!found.empty()) return {};  // "psot": "spot" or "post"
    found = std::move(swapped);
  }
  return found;
}

}  // namespace permit::dialogs
