#include "dialogs/phrases.hpp"

#include "dialogs/text.hpp"

#include <algorithm>
#include <cctype>

namespace permit::dialogs {

namespace {
// By where a hit starts; of two starting together, the longer first.
bool in_text_order(const PhraseIndex::Hit& x, const PhraseIndex::Hit& y) {
  return x.begin != y.begin ? x.begin < y.begin : x.end > y.end;
}
}  // namespace

void PhraseIndex::add(std::size_t id, std::string_view phrase) {
  if (phrase.empty()) return;
  const bool ascii = std::all_of(phrase.begin(), phrase.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!ascii) {
    std::size_t at = 0;
    const char32_t first = next_code_point(phrase, at);
    other_[first].push_back({id, std::string(phrase)});
    return;
  }
  Latin entry{id, {}};
  for (std::size_t i = 0; i < phrase.size();) {
    if (!std::isalnum(static_cast<unsigned char>(phrase[i]))) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < phrase.size() && std::isalnum(static_cast<unsigned char>(phrase[i]))) ++i;
    entry.stems.push_back(stem(phrase.substr(start, i - start)));
  }
  if (entry.stems.empty()) return;  // punctuation only: nothing a message could hold
  latin_[entry.stems.front()].push_back(std::move(entry));
}

std::vector<PhraseIndex::Hit> PhraseIndex::find(const Analysis& a) const {
  std::vector<Hit> hits;
  if (!latin_.empty()) {
    for (std::size_t i = 0; i < a.words.size(); ++i) {
      const Word& w = a.words[i];
      auto it = latin_.find(Hashed{w.stem, w.stem_hash != 0 ? w.stem_hash : StemHash{}(w.stem)});
      if (it == latin_.end()) continue;
      for (const auto& p : it->second) {
        if (i + p.stems.size() > a.words.size()) continue;
        bool match = true;
        for (std::size_t k = 1; k < p.stems.size() && match; ++k) match = a.words[i + k].stem == p.stems[k];
        if (match) hits.push_back({p.id, a.words[i].begin, a.words[i + p.stems.size() - 1].end});
      }
    }
  }
  // Every phrase kept in other_ holds a byte above ASCII (the others are
  // in latin_): a text without one matches none of them.
  const bool plain_ascii =
      std::none_of(a.text.begin(), a.text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (!other_.empty() && !plain_ascii) {
    const std::string_view text = a.text;
    for (std::size_t i = 0; i < text.size();) {
      const std::size_t start = i;
      const char32_t c = next_code_point(text, i);
      auto it = other_.find(c);
      if (it == other_.end()) continue;
      for (const auto& p : it->second)
        if (text.substr(start, p.text.size()) == p.text) hits.push_back({p.id, start, start + p.text.size()});
    }
  }
  std::sort(hits.begin(), hits.end(), in_text_order);
  return hits;
}

std::vector<PhraseIndex::Hit> merged(std::vector<PhraseIndex::Hit> hits, const std::vector<PhraseIndex::Hit>& more) {
  hits.insert(hits.end(), more.begin(), more.end());
  std::sort(hits.begin(), hits.end(), in_text_order);
  return without_overlaps(std::move(hits));
}

std::vector<PhraseIndex::Hit> without_overlaps(std::vector<PhraseIndex::Hit> hits) {
  std::vector<PhraseIndex::Hit> out;
  std::size_t last_end = 0;
  for (const auto& h : hits) {
    if (!out.empty() && h.begin < last_end) continue;
    out.push_back(h);
    last_end = h.end;
  }
  return out;
}

std::string blanked(std::string text, const std::vector<PhraseIndex::Hit>& hits) {
  // From the last: a replacement never moves a hit still to come.
  for (auto it = hits.rbegin(); it != hits.rend(); ++it)
    if (it->begin <= it->end && it->end <= text.size()) text.replace(it->begin, it->end - it->begin, " ");
  return text;
}

}  // namespace permit::dialogs
