#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace permit::dialogs {

// Corrects a misspelt English word to the word of the scripts' vocabulary
// it most likely stands for ("pasport" -> "passport", "recidence" ->
// "residence"). Only words of the vocabulary are ever suggested, so a
// correction can only make a question match what the scripts hold.
//
// Candidates come from a symmetric-delete index (every word with one
// letter removed), then the optimal-string-alignment distance decides:
// one edit (a letter added, dropped, changed, or two swapped) for words of
// 5 letters or more, two for words of 9 or more. Shorter words are left
// alone: at 3 or 4 letters one edit turns a word into another real one
// ("wifi" into "wife"). Only two neighbouring letters swapped in a word of
// 4 ("tkae") are put back, when one word of the vocabulary is found so.
class Speller {
 public:
  // Each word is a lower-case ASCII word; repeats count as frequency,
  // which breaks ties between candidates.
  void add(std::string_view word);

  bool known(std::string_view word) const { return frequency_.contains(std::string(word)); }

  // The correction, or "" when the word is known, too short, or has no
  // unambiguous near neighbour.
  std::string correct(std::string_view word) const;

  std::size_t size() const { return frequency_.size(); }

 private:
  std::string unswapped(std::string_view word) const;

  std::unordered_map<std::string, std::size_t> frequency_;
  std::unordered_map<std::string, std::vector<std::string>> deletes_;  // word minus one letter -> words
};

// Optimal string alignment distance (Levenshtein plus adjacent swaps),
// giving up past `limit`: returns limit + 1 then.
int edit_distance(std::string_view a, std::string_view b, int limit);

}  // namespace permit::dialogs
