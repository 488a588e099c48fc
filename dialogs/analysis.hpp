#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// An English word of a message, as read.
struct Word {
  std::string text;  // lower case, after texting forms and spelling
  std::string stem;  // Snowball
  std::size_t begin = 0, end = 0;  // where it is in Analysis::text
  // std::hash of `stem`, computed once: every phrase list looks each word
  // up by it (0: not computed).
  std::size_t stem_hash = 0;
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
  bool hedged = false;     // a hedge ("大概", "好像") was left out of the text
};

// Snowball's English stem of a lower-case word.
std::string stem(std::string_view word);

// Words that say nothing about the topic of a question.
bool is_stopword(std::string_view word);

}  // namespace permit::dialogs
