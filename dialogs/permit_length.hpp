#pragma once

#include "dialogs/script.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// The length of permit a student speaks of: "a 2-year permit", "under 1
// yr", "3 to 5 years", "six months", "两年", "一年以内", "半年", "more
// than a year", "一年以上".
struct PermitLength {
  enum class Kind { exact, below, range, above };
  Kind kind = Kind::exact;
  // months; `exact` uses `to`, `below` means less than `to`, `above` more
  // than `from`
  double from = 0, to = 0;
  // The length the rows are read at: inside a range, just under a bound.
  double months() const;
  Text said() const;  // "2 years" / "2年", for the reply
  // Kept in the conversation ("i got a 2 year extension", then "how much is
  // the fee?"): "e:0:24"; nullopt for a key that is not one.
  std::string key() const;
  static std::optional<PermitLength> from_key(std::string_view key);
};

// In a normalised message (Analysis::text). Calendar years ("2027年"),
// ages and "last year" are not lengths.
std::optional<PermitLength> find_permit_length(std::string_view text);
// The length a student tells, not one they deny: "2 years not 6 months",
// "不是半年，是两年", "isn't 2 years, it's 1 year". (After a word that
// corrects, the text from there: Turn::told_length.)
std::optional<PermitLength> find_told_length(std::string_view text);

// The rows of `by` for that length: one, or two when it falls on the
// bound between them ("1 year" with rows "less than 1 year" and "less than
// 3 years"), every row past it for "more than"; none when it is longer than
// every row.
std::vector<const ByLength::Row*> rows_for(const ByLength& by, const PermitLength& length);

}  // namespace permit::dialogs
