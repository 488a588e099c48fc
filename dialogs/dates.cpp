#include "dialogs/dates.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <vector>

namespace permit::dialogs {
namespace {

using namespace std::chrono;

struct Token {
  enum class Kind { number, word, year_mark, month_mark, day_mark, separator, other };
  Kind kind = Kind::other;
  std::string text;  // digits, lower-case letters, or the separator
  int value = 0;     // for numbers (capped, so huge ones fail validation)
  std::size_t begin = 0, end = 0;
};

// Full-width digits (U+FF10..U+FF19) become ASCII, so that ２０２７年３月１日
// reads like 2027年3月1日.
std::string normalise_digits(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBC) {
      auto d = static_cast<unsigned char>(text[i + 2]);
      if (d >= 0x90 && d <= 0x99) {
        out.push_back(static_cast<char>('0' + (d - 0x90)));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
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
    } else if (c == ' ' || c == '\t') {
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
  int month_name() {
    const Token* t = peek();
    if (t == nullptr || t->kind != Token::Kind::word) return 0;
    int m = month_from_name(t->text);
    if (m != 0) ++at_;
    return m;
  }
  void optional_ordinal() {
    if (const Token* t = peek(); t != nullptr && is_ordinal(*t)) ++at_;
  }
  void optional_separator(std::string_view which) { separator(which); }
  std::size_t end_offset() const { return tokens_[at_ - 1].end; }

 private:
  const Token* peek() const { return at_ < tokens_.size() ? &tokens_[at_] : nullptr; }
  const std::vector<Token>& tokens_;
  std::size_t at_;
};

struct Candidate {
  DateFound::Status status;
  int y = 0, m = 0, d = 0;
  std::size_t end = 0;
};

// Tries each accepted form at token `i`.
std::optional<Candidate> match_at(const std::vector<Token>& tokens, std::size_t i) {
  using K = Token::Kind;
  {  // 2027-03-01, 2027/3/1, 2027.3.1
    Matcher p(tokens, i);
    const Token *y = p.number(4, 4), *s1 = y ? p.separator("-/.") : nullptr, *m = s1 ? p.number(1, 2) : nullptr;
    const Token* s2 = m ? p.separator(s1->text) : nullptr;
    const Token* d = s2 ? p.number(1, 2) : nullptr;
    if (d) return Candidate{DateFound::Status::found, y->value, m->value, d->value, p.end_offset()};
  }
  {  // 2027年3月1日
    Matcher p(tokens, i);
    const Token *y = p.number(4, 4), *ym = y ? p.kind(K::year_mark) : nullptr, *m = ym ? p.number(1, 2) : nullptr;
    const Token* mm = m ? p.kind(K::month_mark) : nullptr;
    const Token* d = mm ? p.number(1, 2) : nullptr;
    if (d) {
      p.kind(K::day_mark);
      return Candidate{DateFound::Status::found, y->value, m->value, d->value, p.end_offset()};
    }
  }
  {  // 1 March 2027, 1st Mar, 2027
    Matcher p(tokens, i);
    const Token* d = p.number(1, 2);
    if (d) {
      p.optional_ordinal();
      if (int m = p.month_name()) {
        p.optional_separator(",");
        if (const Token* y = p.number(4, 4)) return Candidate{DateFound::Status::found, y->value, m, d->value, p.end_offset()};
      }
    }
  }
  {  // March 1, 2027; Mar 1st 2027
    Matcher p(tokens, i);
    if (int m = p.month_name()) {
      if (const Token* d = p.number(1, 2)) {
        p.optional_ordinal();
        p.optional_separator(",");
        if (const Token* y = p.number(4, 4)) return Candidate{DateFound::Status::found, y->value, m, d->value, p.end_offset()};
      }
    }
  }
  {  // 15/03/2027 (day first) or 03/15/2027 (month first): only when unambiguous
    Matcher p(tokens, i);
    const Token *a = p.number(1, 2), *s1 = a ? p.separator("-/.") : nullptr, *b = s1 ? p.number(1, 2) : nullptr;
    const Token* s2 = b ? p.separator(s1->text) : nullptr;
    const Token* y = s2 ? p.number(4, 4) : nullptr;
    if (y) {
      if (a->value > 12 && b->value <= 12) return Candidate{DateFound::Status::found, y->value, b->value, a->value, p.end_offset()};
      if (b->value > 12 && a->value <= 12) return Candidate{DateFound::Status::found, y->value, a->value, b->value, p.end_offset()};
      if (a->value == b->value) return Candidate{DateFound::Status::found, y->value, a->value, b->value, p.end_offset()};
      if (a->value > 12 && b->value > 12) return Candidate{DateFound::Status::invalid, 0, 0, 0, p.end_offset()};
      return Candidate{DateFound::Status::ambiguous, 0, 0, 0, p.end_offset()};
    }
  }
  return std::nullopt;
}

}  // namespace

DateFound find_date(std::string_view text) {
  const std::string normalised = normalise_digits(text);
  const std::vector<Token> tokens = tokenize(normalised);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto candidate = match_at(tokens, i);
    if (!candidate) continue;
    DateFound found;
    found.text = normalised.substr(tokens[i].begin, candidate->end - tokens[i].begin);
    found.status = candidate->status;
    if (candidate->status == DateFound::Status::found) {
      Date date{year{candidate->y}, month{static_cast<unsigned>(candidate->m)}, day{static_cast<unsigned>(candidate->d)}};
      if (!date.ok() || candidate->y < 1900 || candidate->y > 2200) found.status = DateFound::Status::invalid;
      else found.date = date;
    }
    return found;
  }
  return {};
}

Date add_days(Date date, int days) { return Date{sys_days{date} + std::chrono::days{days}}; }

Date add_months(Date date, int months) {
  year_month ym = year_month{date.year(), date.month()} + std::chrono::months{months};
  const day last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  return Date{ym.year(), ym.month(), date.day() <= last ? date.day() : last};
}

int days_between(Date from, Date to) { return static_cast<int>((sys_days{to} - sys_days{from}).count()); }

std::string iso(Date date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

Date apply(const DeadlineRule& rule, Date expiry) {
  return add_days(add_months(expiry, -rule.months_before), -rule.days_before);
}

}  // namespace permit::dialogs
