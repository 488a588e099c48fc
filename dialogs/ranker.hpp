#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace permit::dialogs {

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
    // English words of the question no entry holds ("cat", "train"): the
    // question is likely about something the entries do not cover.
    int unknown_words;
  };

  // Adds a document by its terms (Analyzer::terms); returns its index.
  // Call finish() after the last one.
  std::size_t add(std::vector<std::string> terms);
  void finish();

  // The best `limit` documents with a positive score, best first, for a
  // query's terms (Analysis::terms).
  // `elsewhere`: terms other documents' sets hold (another university's
  // entries). A Chinese bigram no entry here holds but another one does is
  // a word, not two characters across a word boundary: it counts in full
  // against confidence ("延期需要做体检吗" at a university whose page has no
  // examination).
  std::vector<Hit> search(std::vector<std::string> terms, std::size_t limit,
                          const std::unordered_set<std::string>* elsewhere = nullptr) const;
  // Adds every term some document holds to `out`.
  void vocabulary(std::unordered_set<std::string>& out) const {
    for (const auto& [term, postings] : postings_) out.insert(term);
  }

  std::size_t size() const { return lengths_.size(); }
  bool holds(const std::string& term) const { return postings_.contains(term); }

 private:
  struct Posting {
    std::size_t document;
    int frequency;
  };
  double idf(std::size_t document_frequency) const;

  std::unordered_map<std::string, std::vector<Posting>> postings_;
  std::vector<std::size_t> lengths_;
  double average_length_ = 1.0;
};

}  // namespace permit::dialogs
