#pragma once

// The words and numbers a date is read from (dates.cpp): the tokens of a
// message, and a cursor over them that each accepted form of a date walks.

#include "dialogs/dates.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs::date_tokens {

struct Token {
  enum class Kind { number, word, year_mark, month_mark, day_mark, separator, other };
  Kind kind = Kind::other;
  std::string text;  // digits, lower-case letters, or the separator
  int value = 0;     // for numbers (capped, so huge ones fail validation)
  std::size_t begin = 0, end = 0;
};

// Full-width digits and Chinese numerals before a date's mark as ASCII
// digits; `origin[i]` is where byte i came from.
std::string normalise_digits(std::string_view text, std::vector<std::size_t>& origin);
std::vector<Token> tokenize(std::string_view s);
// 1-12, or 0 for a word that names no month ("jan", "sept", "march").
int month_from_name(std::string_view word);
// "st", "nd", "rd", "th" after a number.
bool is_ordinal(const Token& t);

class Matcher {
 public:
  Matcher(const std::vector<Token>& tokens, std::size_t at) : tokens_(tokens), at_(at) {}

  const Token* number(std::size_t min_digits, std::size_t max_digits) {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::number || t->text.size() < min_digits || t->text.size() > max_digits)
      return nullptr;
    ++at_;
    return t;
  }
  const Token* kind(Token::Kind k) {
    const Token* t = peek();
    if (t == nullptr || t->kind != k) return nullptr;
    ++at_;
    return t;
  }
  const Token* separator(std::string_view which) {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::separator || which.find(t->text) == std::string_view::npos)
      return nullptr;
    ++at_;
    return t;
  }
  bool word(std::string_view w) {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::word || t->text != w) return false;
    ++at_;
    return true;
  }
  // Sunday 0 ... Saturday 6 (std::chrono's C encoding), or -1.
  int weekday_name() {
    static constexpr std::array<std::string_view, 7> names = {"sunday",   "monday", "tuesday", "wednesday",
                                                              "thursday", "friday", "saturday"};
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::word) return -1;
    for (std::size_t w = 0; w < names.size(); ++w)
      if (t->text == names[w] || (t->text.size() == 3 && names[w].substr(0, 3) == t->text)) {
        ++at_;
        return static_cast<int>(w);
      }
    return -1;
  }
  int month_name() {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::word) return 0;
    int m = month_from_name(t->text);
    if (m != 0) ++at_;
    return m;
  }
  bool ordinal() {
    if (const Token* t = peek(); t != nullptr && is_ordinal(*t)) {
      ++at_;
      return true;
    }
    return false;
  }
  // A day written as an ordinal word, "first" to "thirty-first" ("the
  // first of december", "march twenty-second"); 0 if none.
  int day_word() {
    static constexpr std::array<std::string_view, 19> ordinals = {
        "first",      "second",     "third",      "fourth",     "fifth",     "sixth",     "seventh",
        "eighth",     "ninth",      "tenth",      "eleventh",   "twelfth",   "thirteenth", "fourteenth",
        "fifteenth",  "sixteenth",  "seventeenth", "eighteenth", "nineteenth"};
    const std::size_t before = at_;
    const int tens = word("twenty") ? 20 : word("thirty") ? 30 : 0;
    if (tens) optional_separator("-");
    if (!tens && word("twentieth")) return 20;
    if (!tens && word("thirtieth")) return 30;
    for (std::size_t o = 0; o < ordinals.size(); ++o) {
      const int day = tens + static_cast<int>(o) + 1;
      if ((tens == 0 || o < 9) && day <= 31 && word(ordinals[o])) return day;
    }
    at_ = before;
    return 0;
  }
  void optional_separator(std::string_view which) { separator(which); }
  bool any_word() {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::word) return false;
    ++at_;
    return true;
  }
  // A year after the day: "1 March 2027", "1 March, 2027".
  const Token* year_after() {
    const std::size_t before = at_;
    optional_separator(",");
    if (const Token* y = number(4, 4)) return y;
    at_ = before;
    return nullptr;
  }
  std::size_t end_offset() const { return tokens_[at_ - 1].end; }

 private:
  const Token* peek() const { return at_ < tokens_.size() ? &tokens_[at_] : nullptr; }
  const std::vector<Token>& tokens_;
  std::size_t at_;
};

}  // namespace permit::dialogs::date_tokens
