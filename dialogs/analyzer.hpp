#pragma once

#include "dialogs/speller.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace permit::dialogs {

// An English word of a message, as read.
struct Word {
  std::string text;  // lower case, after texting forms and spelling
  std::string stem;  // Snowball
  std::size_t begin = 0, end = 0;  // where it is in Analysis::text
};

// A message as the engine reads it.
struct Analysis {
  // Normalised (see normalise()), with texting forms written out ("u" ->
  // "you") and misspelt words corrected: every other reader (dates,
  // phrases) works on this text.
  std::string text;
  std::vector<Word> words;  // the English words, in order
  // Index terms for the ranker: stems of the words that say something
  // (no function words, no bare numbers), Chinese character bigrams, and
  // one shared term per synonym group that occurs.
  std::vector<std::string> terms;
  bool corrected = false;  // a texting form or a spelling was changed
};

// Reads messages and the scripts' own texts the same way, so that both
// meet in the same terms.
class Analyzer {
 public:
  struct Lexicon {
    const std::vector<std::vector<std::string>>* synonyms = nullptr;  // groups of equivalent words or phrases
    const std::map<std::string, std::string>* texting = nullptr;       // normalised form -> words
    const std::vector<std::string>* english_words = nullptr;           // real words: never corrected
  };
  explicit Analyzer(Lexicon lexicon);

  // Words the speller may correct to: every word the scripts use.
  void learn(std::string_view text);

  Analysis analyse(std::string_view raw) const;
  // The terms alone, of a script's own text (no texting forms or spelling).
  std::vector<std::string> terms(std::string_view text) const;

 private:
  void add_terms(Analysis& a) const;

  std::unordered_map<std::string, std::size_t> word_groups_;        // stem -> group
  std::vector<std::pair<std::string, std::size_t>> phrase_groups_;  // phrase -> group
  std::map<std::string, std::string> texting_;
  std::unordered_set<std::string> english_words_;
  Speller speller_;
};

// Snowball's English stem of a lower-case word.
std::string stem(std::string_view word);

// Words that say nothing about the topic of a question.
bool is_stopword(std::string_view word);

}  // namespace permit::dialogs
