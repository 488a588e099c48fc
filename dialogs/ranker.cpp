#include "dialogs/ranker.hpp"

#include "dialogs/text.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <unordered_set>

namespace permit::dialogs {
namespace {

constexpr double kK1 = 1.2;
// Length normalisation below the usual 0.75: an entry with many sample
// questions is long because it is well covered, not because it rambles.
constexpr double kB = 0.5;
// A Chinese bigram no entry holds is often just two characters that
// straddle a word boundary; it counts half against confidence.
constexpr double kUnknownBigramWeight = 0.5;

// Words that say nothing about the topic of a question.
bool is_stopword(std::string_view word) {
  static const std::unordered_set<std::string_view> words = {
      "a", "an", "the", "i", "me", "my", "mine", "we", "our", "you", "your", "it", "its", "is", "are", "am", "was",
      "were", "be", "been", "do", "does", "did", "to", "of", "in", "on", "at", "for", "and", "or", "with", "by",
      "from", "this", "that", "there", "please", "can", "could", "would", "should", "will", "shall", "may", "about",
      "if", "so", "any", "some", "as", "hi", "hello", "thanks", "thank", "s", "t", "tell", "yes", "no", "ok",
      "okay", "hey", "please", "sorry", "done", "next", "back"};
  return words.contains(word);
}

// Sentence particles that carry no topic in a Chinese question.
bool is_particle(char32_t c) { return c == U'吗' || c == U'呢' || c == U'吧' || c == U'啊' || c == U'呀' || c == U'么'; }

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// A Snowball stemmer is not thread-safe: one per thread.
std::string stem(std::string_view word) {
  thread_local std::unique_ptr<sb_stemmer, StemmerDeleter> stemmer(sb_stemmer_new("english", "UTF_8"));
  if (!stemmer) return std::string(word);
  const sb_symbol* out =
      sb_stemmer_stem(stemmer.get(), reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
  if (out == nullptr) return std::string(word);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer.get())));
}

// Plain terms, before synonyms: stems and CJK bigrams.
void base_terms(std::string_view text, std::vector<std::string>& out) {
  std::size_t i = 0;
  // Byte offsets of the CJK characters in the current run.
  std::vector<std::size_t> run;
  auto flush_run = [&](std::size_t run_end) {
    if (run.size() == 1) out.emplace_back(text.substr(run[0], run_end - run[0]));
    for (std::size_t k = 0; k + 1 < run.size(); ++k) {
      std::size_t end = k + 2 < run.size() ? run[k + 2] : run_end;
      out.emplace_back(text.substr(run[k], end - run[k]));
    }
    run.clear();
  };
  std::size_t run_end = 0;
  while (i < text.size()) {
    auto c0 = static_cast<unsigned char>(text[i]);
    if (std::isalnum(c0)) {
      if (!run.empty()) flush_run(run_end);
      std::size_t start = i;
      while (i < text.size() && std::isalnum(static_cast<unsigned char>(text[i]))) ++i;
      std::string_view word = text.substr(start, i - start);
      // Bare numbers say nothing on their own ("1", "2027").
      const bool digits_only = std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!digits_only && !is_stopword(word)) out.push_back(stem(word));
      continue;
    }
    std::size_t start = i;
    char32_t c = next_code_point(text, i);
    if (is_cjk(c) && !is_particle(c)) {
      if (!run.empty() && run_end != start) flush_run(run_end);
      run.push_back(start);
      run_end = i;
    } else if (!run.empty()) {
      flush_run(run_end);
    }
  }
  if (!run.empty()) flush_run(run_end);
}

}  // namespace

Analyzer::Analyzer(const std::vector<std::vector<std::string>>& synonym_groups) {
  for (std::size_t g = 0; g < synonym_groups.size(); ++g) {
    for (const auto& raw : synonym_groups[g]) {
      std::string term = normalise(raw);
      bool single_word = !term.empty() && std::all_of(term.begin(), term.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c));
      });
      if (single_word) {
        word_groups_.emplace(stem(term), g);
      } else if (!term.empty()) {
        phrase_groups_.emplace_back(std::move(term), g);
      }
    }
  }
}

std::vector<std::string> Analyzer::terms(std::string_view raw) const {
  std::string text = normalise(raw);
  std::vector<std::string> out;
  base_terms(text, out);
  std::vector<std::size_t> groups;
  for (const auto& t : out)
    if (auto it = word_groups_.find(t); it != word_groups_.end()) groups.push_back(it->second);
  for (const auto& [phrase, g] : phrase_groups_)
    if (contains_phrase(text, phrase)) groups.push_back(g);
  std::sort(groups.begin(), groups.end());
  groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
  for (auto g : groups) out.push_back("~" + std::to_string(g));
  return out;
}

std::size_t Ranker::add(std::string_view text) {
  std::size_t document = lengths_.size();
  auto terms = analyzer_->terms(text);
  lengths_.push_back(terms.size());
  std::sort(terms.begin(), terms.end());
  for (std::size_t i = 0; i < terms.size();) {
    std::size_t j = i;
    while (j < terms.size() && terms[j] == terms[i]) ++j;
    postings_[terms[i]].push_back({document, static_cast<int>(j - i)});
    i = j;
  }
  return document;
}

void Ranker::finish() {
  double total = 0;
  for (auto l : lengths_) total += static_cast<double>(l);
  average_length_ = lengths_.empty() || total == 0 ? 1.0 : total / static_cast<double>(lengths_.size());
}

double Ranker::idf(std::size_t df) const {
  const auto n = static_cast<double>(lengths_.size());
  return std::log(1.0 + (n - static_cast<double>(df) + 0.5) / (static_cast<double>(df) + 0.5));
}

std::vector<Ranker::Hit> Ranker::search(std::string_view query, std::size_t limit) const {
  auto terms = analyzer_->terms(query);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  std::vector<double> scores(lengths_.size(), 0.0);
  std::vector<double> matched(lengths_.size(), 0.0);  // idf of the query terms each entry holds
  double query_weight = 0;
  for (const auto& term : terms) {
    auto it = postings_.find(term);
    if (it == postings_.end()) {
      // A word no entry holds still counts against confidence.
      const bool cjk = static_cast<unsigned char>(term[0]) >= 0x80;
      query_weight += idf(0) * (cjk ? kUnknownBigramWeight : 1.0);
      continue;
    }
    const double term_idf = idf(it->second.size());
    // A synonym group's term repeats a word already counted: half weight.
    const double weight = term[0] == '~' ? 0.5 * term_idf : term_idf;
    query_weight += weight;
    for (const auto& p : it->second) {
      const double norm = kK1 * (1 - kB + kB * static_cast<double>(lengths_[p.document]) / average_length_);
      scores[p.document] += term_idf * p.frequency * (kK1 + 1) / (p.frequency + norm);
      matched[p.document] += weight;
    }
  }
  std::vector<Hit> hits;
  for (std::size_t d = 0; d < scores.size(); ++d)
    if (scores[d] > 0) hits.push_back({d, scores[d], query_weight > 0 ? matched[d] / query_weight : 0});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.document < b.document;
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace permit::dialogs
