#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace permit::dialogs {

// Turns text into index terms: English words are stemmed (Snowball, via
// libstemmer) with a few function words dropped; Chinese runs become
// character bigrams (a lone character stays a unigram); a synonym group
// adds one shared term whenever any of its members occurs.
class Analyzer {
 public:
  // Each group lists equivalent words or phrases, in either language.
  explicit Analyzer(const std::vector<std::vector<std::string>>& synonym_groups);

  std::vector<std::string> terms(std::string_view text) const;

 private:
  std::unordered_map<std::string, std::size_t> word_groups_;               // stem -> group
  std::vector<std::pair<std::string, std::size_t>> phrase_groups_;         // phrase -> group
};

// Okapi BM25 over a fixed set of short documents (FAQ entries).
class Ranker {
 public:
  struct Hit {
    std::size_t document;
    double score;
    // The share of the question's weight (the idf of its terms) that the
    // document holds: 1 when it holds every term, near 0 when it holds only
    // common ones.
    double confidence;
  };

  explicit Ranker(const Analyzer& analyzer) : analyzer_(&analyzer) {}

  // Adds a document; returns its index. Call finish() after the last one.
  std::size_t add(std::string_view text);
  void finish();

  // The best `limit` documents with a positive score, best first.
  std::vector<Hit> search(std::string_view query, std::size_t limit) const;

  std::size_t size() const { return lengths_.size(); }

 private:
  struct Posting {
    std::size_t document;
    int frequency;
  };
  double idf(std::size_t document_frequency) const;

  const Analyzer* analyzer_;
  std::unordered_map<std::string, std::vector<Posting>> postings_;
  std::vector<std::size_t> lengths_;
  double average_length_ = 1.0;
};

}  // namespace permit::dialogs
