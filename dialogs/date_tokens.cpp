#include "dialogs/date_tokens.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace permit::dialogs::date_tokens {
namespace {

// A number in Chinese numerals starting at `at` ("五", "十二", "二十一",
// "三十"; "二〇二七" digit by digit), with its length in bytes, when a
// month, day or year mark follows it; {-1, 0} otherwise. Only before the
// mark: "第一次", "两个月" are no dates.
std::pair<int, std::size_t> chinese_number_before_mark(std::string_view text, std::size_t at) {
  static constexpr std::string_view kNumerals[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  constexpr std::string_view kTen = "十", kZero = "零", kTwo = "两";
  std::vector<int> digits;  // -1 for 十
  std::size_t i = at;
  while (i < text.size() && digits.size() < 4) {
    const std::string_view rest = text.substr(i);
    int d = -2;
    std::size_t length = 3;  // every numeral is 3 bytes in UTF-8
    for (int n = 0; n < 10 && d == -2; ++n)
      if (rest.starts_with(kNumerals[n])) d = n;
    if (d == -2 && rest.starts_with(kZero)) d = 0;
    if (d == -2 && rest.starts_with(kTwo)) d = 2;
    if (d == -2 && rest.starts_with(kTen)) d = -1;
    if (d == -2) break;
    digits.push_back(d);
    i += length;
  }
  if (digits.empty()) return {-1, 0};
  const std::string_view mark = text.substr(i);
  const bool year = mark.starts_with("年"), month_or_day = mark.starts_with("月") || mark.starts_with("日") || mark.starts_with("号");
  if (year) {
    if (digits.size() != 4 || std::find(digits.begin(), digits.end(), -1) != digits.end()) return {-1, 0};
    return {digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], i - at};
  }
  if (!month_or_day) return {-1, 0};
  const auto ten = std::find(digits.begin(), digits.end(), -1);
  if (ten == digits.end()) return digits.size() == 1 ? std::pair{digits[0], i - at} : std::pair{-1, std::size_t{0}};
  // 十 (10), 十二 (12), 二十 (20), 二十一 (21), 三十一 (31).
  const std::size_t before = static_cast<std::size_t>(ten - digits.begin()), after = digits.size() - before - 1;
  if (before > 1 || after > 1 || (before == 1 && digits[0] < 1) || (after == 1 && digits.back() < 1)) return {-1, 0};
  return {(before == 1 ? digits[0] : 1) * 10 + (after == 1 ? digits.back() : 0), i - at};
}

}  // namespace

// Full-width digits (U+FF10..U+FF19) become ASCII, so that ２０２７年３月１日
// reads like 2027年3月1日; so do Chinese numerals before a date's mark
// (五月二十号 reads like 5月20号). `origin[i]` is where byte i came from.
std::string normalise_digits(std::string_view text, std::vector<std::size_t>& origin) {
  std::string out;
  out.reserve(text.size());
  origin.clear();
  origin.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xE3) {
      const auto [value, length] = chinese_number_before_mark(text, i);
      if (length > 0) {
        for (const char d : std::to_string(value)) {
          out.push_back(d);
          origin.push_back(i);
        }
        i += length - 1;
        continue;
      }
    }
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
      auto d = static_cast<unsigned char>(text[i + 2]);
      if (d >= 0x90 && d <= 0x99) {
        out.push_back(static_cast<char>('0' + (d - 0x90)));
        origin.push_back(i);
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
    origin.push_back(i);
  }
  origin.push_back(text.size());
  return out;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  auto starts_with_at = [&](std::size_t at, std::string_view what) { return s.substr(at, what.size()) == what; };
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    Token t;
    t.begin = i;
    if (std::isdigit(c)) {
      t.kind = Token::Kind::number;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        t.text.push_back(s[i]);
        if (t.value < 100000) t.value = t.value * 10 + (s[i] - '0');
        ++i;
      }
    } else if (std::isalpha(c)) {
      t.kind = Token::Kind::word;
      while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
        t.text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(s[i++]))));
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    } else if (c == '-' || c == '/' || c == '.' || c == ',') {
      t.kind = Token::Kind::separator;
      t.text = std::string(1, static_cast<char>(c));
      ++i;
    } else if (starts_with_at(i, "年")) {
      t.kind = Token::Kind::year_mark;
      i += std::string_view("年").size();
    } else if (starts_with_at(i, "月")) {
      t.kind = Token::Kind::month_mark;
      i += std::string_view("月").size();
    } else if (starts_with_at(i, "日") || starts_with_at(i, "号")) {
      t.kind = Token::Kind::day_mark;
      i += std::string_view("日").size();
    } else {
      // Any other character (CJK text, punctuation) ends a date; skip one
      // UTF-8 sequence.
      t.kind = Token::Kind::other;
      ++i;
      while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    }
    t.end = i;
    tokens.push_back(std::move(t));
  }
  return tokens;
}

int month_from_name(std::string_view word) {
  static constexpr std::array<std::string_view, 12> names = {"january", "february", "march",     "april",
                                                             "may",     "june",     "july",      "august",
                                                             "september", "october", "november", "december"};
  if (word == "sept") return 9;
  for (std::size_t m = 0; m < names.size(); ++m) {
    if (word == names[m]) return static_cast<int>(m) + 1;
    if (word.size() == 3 && names[m].substr(0, 3) == word) return static_cast<int>(m) + 1;
  }
  return 0;
}

bool is_ordinal(const Token& t) {
  return t.kind == Token::Kind::word && (t.text == "st" || t.text == "nd" || t.text == "rd" || t.text == "th");
}

}  // namespace permit::dialogs::date_tokens
