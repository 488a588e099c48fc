#pragma once

#include "dialogs/analysis.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace permit::dialogs {

// Finds the scripts' phrases (names of things, words of attributes, words
// that say what a date is) in an analysed message. An English phrase
// matches whole words by their stems ("opening hours" in "what are its
// opening hours"); one with Chinese characters matches as a substring.
class PhraseIndex {
 public:
  struct Hit {
    std::size_t id;
    std::size_t begin, end;  // where it is in Analysis::text
  };

  // `phrase` is normalised (see normalise()).
  void add(std::size_t id, std::string_view phrase);

  // Every occurrence, in order of where it starts.
  std::vector<Hit> find(const Analysis& a) const;

  bool empty() const { return latin_.empty() && other_.empty(); }

 private:
  struct Latin {
    std::size_t id;
    std::vector<std::string> stems;
  };
  struct Other {
    std::size_t id;
    std::string text;
  };
  // A stem with its hash, so a word's stem is hashed once per message, not
  // once per phrase list (Word::stem_hash).
  struct Hashed {
    std::string_view stem;
    std::size_t hash;
  };
  struct StemHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    std::size_t operator()(const std::string& s) const { return std::hash<std::string_view>{}(s); }
    std::size_t operator()(const Hashed& h) const { return h.hash; }
  };
  struct StemEqual {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
    bool operator()(const Hashed& a, std::string_view b) const { return a.stem == b; }
    bool operator()(std::string_view a, const Hashed& b) const { return a == b.stem; }
  };
  std::unordered_map<std::string, std::vector<Latin>, StemHash, StemEqual> latin_;  // by the first word's stem
  std::unordered_map<char32_t, std::vector<Other>> other_;     // by the first code point
};

// Of overlapping hits (as find() gives them), the first and longest:
// "semester ends", not "ends" within it.
std::vector<PhraseIndex::Hit> without_overlaps(std::vector<PhraseIndex::Hit> hits);

// The hits of two finds in one text, in find()'s order (by where they
// start, the longest first), without overlaps.
std::vector<PhraseIndex::Hit> merged(std::vector<PhraseIndex::Hit> hits, const std::vector<PhraseIndex::Hit>& more);

// `text` with the hits (found in it, in order) made spaces: what it says
// besides those words.
std::string blanked(std::string text, const std::vector<PhraseIndex::Hit>& hits);

}  // namespace permit::dialogs
