#include "dialogs/analyzer.hpp"

#include "dialogs/text.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace permit::dialogs {
namespace {

// Sentence particles that carry no topic in a Chinese question.
bool is_particle(char32_t c) { return c == U'吗' || c == U'呢' || c == U'吧' || c == U'啊' || c == U'呀' || c == U'么'; }

bool is_word_byte(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool digits_only(std::string_view w) {
  return std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// Chinese runs become character bigrams (a lone character stays a unigram).
void cjk_terms(std::string_view text, std::vector<std::string>& out) {
  std::vector<std::size_t> run;  // byte offsets of the CJK characters in the current run
  std::size_t run_end = 0;
  auto flush = [&] {
    if (run.size() == 1) out.emplace_back(text.substr(run[0], run_end - run[0]));
    for (std::size_t k = 0; k + 1 < run.size(); ++k) {
      std::size_t end = k + 2 < run.size() ? run[k + 2] : run_end;
      out.emplace_back(text.substr(run[k], end - run[k]));
    }
    run.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      if (!run.empty()) flush();
      continue;
    }
    const char32_t c = next_code_point(text, i);
    if (is_cjk(c) && !is_particle(c)) {
      if (!run.empty() && run_end != start) flush();
      run.push_back(start);
      run_end = i;
    } else if (!run.empty()) {
      flush();
    }
  }
  if (!run.empty()) flush();
}

// Two words that say something, next to each other but for function words
// between them ("lost my passport" -> "lost passport"), within one phrase:
// "^lost passport" tells the lost-passport entry from the lost-permit one,
// which hold "lost" and "passport" as much. Punctuation or a number ends a
// phrase.
void word_pairs(const Analysis& a, std::vector<std::string>& out) {
  const Word* previous = nullptr;  // the last word that says something
  std::size_t gap_from = 0;        // where the text since the last word starts
  for (const auto& w : a.words) {
    const std::string_view gap(a.text.data() + gap_from, w.begin - gap_from);
    gap_from = w.end;
    const bool joined = std::all_of(gap.begin(), gap.end(), [](char c) { return c == ' '; });
    if (!joined || digits_only(w.text)) previous = nullptr;
    if (digits_only(w.text) || is_stopword(w.text)) continue;
    if (previous != nullptr && previous->stem != w.stem) out.push_back("^" + previous->stem + " " + w.stem);
    previous = &w;
  }
}

}  // namespace

bool is_stopword(std::string_view word) {
  static const std::unordered_set<std::string_view> words = {
      "a", "an", "the", "i", "me", "my", "mine", "we", "our", "you", "your", "it", "its", "is", "are", "am", "was",
      "were", "be", "been", "do", "does", "did", "to", "of", "in", "on", "at", "for", "and", "or", "with", "by",
      "from", "this", "that", "there", "please", "can", "could", "would", "should", "will", "shall", "may", "about",
      "if", "so", "any", "some", "as", "hi", "hello", "thanks", "thank", "s", "t", "tell", "yes", "no", "ok",
      "okay", "hey", "sorry", "done", "next", "back", "they", "them", "their", "he", "she", "his", "her", "him",
      "us", "just", "also", "now", "then", "still", "really", "very", "too", "yet", "already", "even", "ever",
      "everyone", "everybody", "all", "always", "same", "anyone", "someone", "something", "anything", "guys",
      "here", "think", "guess", "maybe", "perhaps", "probably", "yesterday", "today", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday", "m", "re", "ve", "ll", "d",  // the rest of "I'm", "you're", "I've", "I'll", "I'd"
      "i'm", "i've", "i'll", "i'd", "you're", "it's", "he's", "she's", "we're", "they're", "that's", "there's"};
  return words.contains(word);
}

// A Snowball stemmer is not thread-safe: one per thread.
std::string stem(std::string_view word) {
  // Students use few words, and every message is read a few times over:
  // the stems are remembered, a few thousand per thread, and forgotten all
  // at once when there are more.
  constexpr std::size_t kRemembered = 4096;
  thread_local std::unordered_map<std::string, std::string> remembered;
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(sb_stemmer_new("english", "UTF_8"));
  std::string key(word);
  if (auto it = remembered.find(key); it != remembered.end()) return it->second;
  if (!stemmer) return key;
  const sb_symbol* out =
      sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  std::string result = out == nullptr ? key
                                      : std::string(reinterpret_cast<const char*>(out),
                                                    static_cast<std::size_t>(sb_stemmer_length(stemmer.get())));
  if (remembered.size() >= kRemembered) remembered.clear();
  remembered.emplace(std::move(key), result);
  return result;
}

Analyzer::Analyzer(Lexicon lexicon) {
  if (lexicon.texting != nullptr) texting_ = *lexicon.texting;
  // (A Chinese form is a character typed for another of the same sound,
  // "体减" for "体检": mended in the text before it is read, since Chinese
  // is not read word by word.)
  for (const auto& [typed, meant] : texting_)
    if (has_cjk(typed)) chinese_typos_.emplace_back(typed, meant);
  if (lexicon.english_words != nullptr) english_words_.insert(lexicon.english_words->begin(), lexicon.english_words->end());
  for (auto [from, to] : {std::pair{lexicon.hedges, &hedges_}, std::pair{lexicon.interjections, &interjections_}})
    if (from != nullptr)
      for (const auto& h : *from)
        if (!h.empty()) to->push_back(h);
  if (lexicon.synonyms == nullptr) return;
  const auto& groups = *lexicon.synonyms;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (const auto& raw : groups[g]) {
      std::string term = normalise(raw);
      learn(term);
      const bool single_word = !term.empty() && std::all_of(term.begin(), term.end(), is_word_byte);
      if (single_word) word_groups_.emplace(stem(term), g);
      else if (!term.empty()) phrase_groups_.add(g, term);
    }
  }
}

void Analyzer::learn(std::string_view raw) {
  const std::string text = normalise(raw);
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_byte(text[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && is_word_byte(text[i])) ++i;
    std::string_view w(text.data() + start, i - start);
    if (!digits_only(w)) speller_.add(w);
  }
}

Analysis Analyzer::analyse(std::string_view raw) const {
  std::string norm = normalise(raw);
  // (A text of ASCII alone, most of them, holds none of the Chinese words
  // of the lists: not searched for.)
  auto is_ascii = [](std::string_view t) {
    return std::all_of(t.begin(), t.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };
  const bool ascii = is_ascii(norm);
  auto left_out = [&](const std::vector<std::string>& list) {
    bool any = false;
    for (const auto& h : list) {
      if (ascii && !is_ascii(h)) continue;
      for (auto at = norm.find(h); at != std::string::npos; at = norm.find(h, at)) {
        norm.erase(at, h.size());
        any = true;
      }
    }
    return any;
  };
  const bool hedged = left_out(hedges_);
  left_out(interjections_);
  bool mended = false;
  if (!ascii)
    for (const auto& [typed, meant] : chinese_typos_)
      for (auto at = norm.find(typed); at != std::string::npos; at = norm.find(typed, at + meant.size())) {
        norm.replace(at, typed.size(), meant);
        mended = true;
      }
  Analysis a;
  a.hedged = hedged;
  a.corrected = mended;
  a.text.reserve(norm.size() + 16);
  auto add_word = [&](std::string_view w) {
    Word word;
    word.text = std::string(w);
    word.stem = stem(w);
    word.stem_hash = std::hash<std::string_view>{}(word.stem);
    word.begin = a.text.size();
    a.text += w;
    word.end = a.text.size();
    a.words.push_back(std::move(word));
  };
  for (std::size_t i = 0; i < norm.size();) {
    if (!is_word_byte(norm[i])) {
      a.text.push_back(norm[i++]);
      continue;
    }
    std::size_t start = i;
    while (i < norm.size() && is_word_byte(norm[i])) ++i;
    std::string w = norm.substr(start, i - start);
    // A texting form of two words joined by "/" ("w/o", "b/c") is read
    // whole, before "w" alone is read as "with".
    if (i + 1 < norm.size() && norm[i] == '/' && is_word_byte(norm[i + 1])) {
      std::size_t end = i + 1;
      while (end < norm.size() && is_word_byte(norm[end])) ++end;
      if (std::string joined = norm.substr(start, end - start); texting_.contains(joined)) {
        w = std::move(joined);
        i = end;
      }
    }
    if (auto it = texting_.find(w); it != texting_.end()) {
      // A texting form may stand for several words ("b4" -> "before",
      // "im" -> "i am").
      a.corrected = true;
      const std::string& words = it->second;
      for (std::size_t k = 0; k < words.size();) {
        if (words[k] == ' ') {
          a.text.push_back(' ');
          ++k;
          continue;
        }
        std::size_t e = words.find(' ', k);
        if (e == std::string::npos) e = words.size();
        add_word(std::string_view(words).substr(k, e - k));
        k = e;
      }
      continue;
    }
    std::string fixed;
    if (!digits_only(w) && !is_stopword(w) && !english_words_.contains(w)) fixed = speller_.correct(w);
    if (!fixed.empty()) a.corrected = true;
    add_word(fixed.empty() ? w : fixed);
  }
  add_terms(a);
  return a;
}

std::vector<std::string> Analyzer::terms(std::string_view text) const {
  Analysis a;
  a.text = normalise(text);
  for (std::size_t i = 0; i < a.text.size();) {
    if (!is_word_byte(a.text[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < a.text.size() && is_word_byte(a.text[i])) ++i;
    Word w;
    w.text = a.text.substr(start, i - start);
    w.stem = stem(w.text);
    w.begin = start;
    w.end = i;
    a.words.push_back(std::move(w));
  }
  add_terms(a);
  return std::move(a.terms);
}

void Analyzer::add_terms(Analysis& a) const {
  for (const auto& w : a.words)
    if (!digits_only(w.text) && !is_stopword(w.text)) a.terms.push_back(w.stem);
  word_pairs(a, a.terms);
  cjk_terms(a.text, a.terms);
  std::vector<std::size_t> groups;
  for (const auto& w : a.words)
    if (auto it = word_groups_.find(w.stem); it != word_groups_.end()) groups.push_back(it->second);
  for (const auto& h : phrase_groups_.find(a)) groups.push_back(h.id);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  for (auto g : groups) a.terms.push_back("~" + std::to_string(g));
}

}  // namespace permit::dialogs
