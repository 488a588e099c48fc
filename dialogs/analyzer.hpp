#pragma once

#include "dialogs/analysis.hpp"
#include "dialogs/phrases.hpp"
#include "dialogs/speller.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace permit::dialogs {

// Reads messages and the scripts' own texts the same way, so that both
// meet in the same terms.
class Analyzer {
 public:
  struct Lexicon {
    const std::vector<std::vector<std::string>>* synonyms = nullptr;  // groups of equivalent words or phrases
    const std::map<std::string, std::string>* texting = nullptr;       // normalised form -> words
    const std::vector<std::string>* english_words = nullptr;           // real words: never corrected
    // Chinese words that hedge and say nothing ("好像", "似乎"): left out of
    // the text before it is read, so "我护照好像丢了" reads as "我护照丢了".
    const std::vector<std::string>* hedges = nullptr;
    // Chinese interjections of speech ("嗯", "呃"), often in a voice message
    // transcribed: left out too, but they hedge nothing.
    const std::vector<std::string>* interjections = nullptr;
  };
  explicit Analyzer(Lexicon lexicon);

  // Words the speller may correct to: every word the scripts use.
  void learn(std::string_view text);

  Analysis analyse(std::string_view raw) const;
  // The terms alone, of a script's own text (no texting forms or spelling).
  std::vector<std::string> terms(std::string_view text) const;

 private:
  void add_terms(Analysis& a) const;

  std::unordered_map<std::string, std::size_t> word_groups_;  // stem -> group
  PhraseIndex phrase_groups_;                                 // phrases of several words, or Chinese -> group
  std::map<std::string, std::string> texting_;
  std::unordered_set<std::string> english_words_;
  std::vector<std::string> hedges_, interjections_;
  std::vector<std::pair<std::string, std::string>> chinese_typos_;  // texting's Chinese forms
  Speller speller_;
};


}  // namespace permit::dialogs
