#include "dialogs/ranker.hpp"

#include "dialogs/text.hpp"

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
// A Chinese bigram no entry holds is most often two characters that
// straddle a word boundary, or context around the question ("明天早上"):
// it counts a quarter against confidence (measured on the development set).
constexpr double kUnknownBigramWeight = 0.25;
// The least weight a question's terms count as, for confidence: about the
// idf of a word one entry in five holds. Measured on the question sets: 7
// fewer wrong answers over the 53, about 5 fewer right.
constexpr double kLeastWeight = 4.0;

}  // namespace

std::size_t Ranker::add(std::vector<std::string> terms) {
  std::size_t document = lengths_.size();
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

std::vector<Ranker::Hit> Ranker::search(std::vector<std::string> terms, std::size_t limit,
                                        const std::unordered_set<std::string>* elsewhere) const {
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  std::vector<double> scores(lengths_.size(), 0.0);
  std::vector<double> matched(lengths_.size(), 0.0);  // idf of the query terms each entry holds
  double query_weight = 0;
  int unknown_words = 0;
  for (const auto& term : terms) {
    auto it = postings_.find(term);
    if (it == postings_.end()) {
      // Two words no entry holds together are most often two words no
      // entry holds together: they say nothing against it.
      if (term[0] == '^') continue;
      // A word no entry holds still counts against confidence.
      const bool cjk = static_cast<unsigned char>(term[0]) >= 0x80;
      const bool word_elsewhere = cjk && elsewhere != nullptr && elsewhere->contains(term);
      if (!cjk && term[0] != '~') ++unknown_words;
      query_weight += idf(0) * (cjk && !word_elsewhere ? kUnknownBigramWeight : 1.0);
      continue;
    }
    const double term_idf = idf(it->second.size());
    // A synonym group's term repeats a word already counted: half weight.
    // So does a pair of words already counted one by one.
    const double weight = term[0] == '~' || term[0] == '^' ? 0.5 * term_idf : term_idf;
    query_weight += weight;
    for (const auto& p : it->second) {
      const double norm = kK1 * (1 - kB + kB * static_cast<double>(lengths_[p.document]) / average_length_);
      scores[p.document] += term_idf * p.frequency * (kK1 + 1) / (p.frequency + norm);
      matched[p.document] += weight;
    }
  }
  // A question of little weight ("what is this registration": "what"
  // alone, held by every entry) matches no entry surely, however fully:
  // confidence is the share of at least kLeastWeight.
  const double denominator = std::max(query_weight, kLeastWeight);
  std::vector<Hit> hits;
  for (std::size_t d = 0; d < scores.size(); ++d)
    if (scores[d] > 0) hits.push_back({d, scores[d], matched[d] / denominator, unknown_words});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.score != b.score ? a.score > b.score : a.document < b.document;
  });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace permit::dialogs
