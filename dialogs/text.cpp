#include "dialogs/text.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace permit::dialogs {
namespace {

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool is_trailing_punctuation(char32_t c) {
  switch (c) {
    case '.': case '!': case '?': case ',': case ';': case ':': case '~':
    case U'。': case U'！': case U'？': case U'，': case U'；': case U'：': case U'…': case U'、':
      return true;
    default:
      return false;
  }
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

}  // namespace

char32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  int extra = b0 < 0x80 ? 0 : (b0 >> 5) == 0x6 ? 1 : (b0 >> 4) == 0xE ? 2 : (b0 >> 3) == 0x1E ? 3 : -1;
  if (extra == 0) {
    ++i;
    return b0;
  }
  if (extra < 0 || i + extra >= text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = b0 & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return c;
}

bool is_cjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FA1F);
}

bool has_cjk(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    if (is_cjk(next_code_point(text, i))) return true;
  }
  return false;
}

std::string normalise(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = next_code_point(text, i);
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
    if (c == 0x3000 || c == '\t' || c == '\n' || c == '\r' || c == 0xA0) c = ' ';
    if (c == ' ') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(static_cast<int>(c))));
    } else {
      append_utf8(out, c);
    }
  }
  // Trailing punctuation, code point by code point from the end.
  for (;;) {
    std::size_t last = out.size();
    if (last == 0) break;
    std::size_t start = last - 1;
    while (start > 0 && (static_cast<unsigned char>(out[start]) & 0xC0) == 0x80) --start;
    std::size_t at = start;
    if (!is_trailing_punctuation(next_code_point(out, at))) break;
    out.resize(start);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  return out;
}

bool has_question_mark(std::string_view raw) {
  return raw.find('?') != std::string_view::npos || raw.find("？") != std::string_view::npos;
}

std::size_t find_phrase(std::string_view text, std::string_view needle, std::size_t from) {
  if (needle.empty()) return std::string_view::npos;
  const bool latin_start = is_word_char(needle.front());
  const bool latin_end = is_word_char(needle.back());
  for (std::size_t at = text.find(needle, from); at != std::string_view::npos; at = text.find(needle, at + 1)) {
    bool left_ok = !latin_start || at == 0 || !is_word_char(text[at - 1]);
    std::size_t after = at + needle.size();
    bool right_ok = !latin_end || after == text.size() || !is_word_char(text[after]);
    if (left_ok && right_ok) return at;
  }
  return std::string_view::npos;
}

bool contains_phrase(std::string_view text, std::string_view needle) {
  return find_phrase(text, needle) != std::string_view::npos;
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  // Back off continuation bytes (10xxxxxx) to the start of a character.
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

int parse_small_number(std::string_view text) {
  if (text.empty() || text.size() > 3) return -1;
  int value = 0;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

int step_named(std::string_view text) {
  for (std::size_t at = text.find("step"); at != std::string_view::npos; at = text.find("step", at + 4)) {
    if (at > 0 && std::isalpha(static_cast<unsigned char>(text[at - 1]))) continue;  // "footstep"
    std::size_t i = at + 4;
    while (i < text.size() && (text[i] == ' ' || text[i] == '#')) ++i;
    int n = 0, digits = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && digits < 2; ++i, ++digits)
      n = n * 10 + (text[i] - '0');
    if (digits > 0 && (i == text.size() || !std::isalnum(static_cast<unsigned char>(text[i])))) return n;
  }
  static constexpr std::string_view kOrdinals[] = {"first step", "second step", "third step", "fourth step",
                                                   "fifth step", "sixth step", "seventh step"};
  for (std::size_t i = 0; i < std::size(kOrdinals); ++i)
    if (contains_phrase(text, kOrdinals[i])) return static_cast<int>(i) + 1;
  static constexpr std::string_view kNumbered[] = {"step one", "step two", "step three", "step four",
                                                   "step five", "step six", "step seven"};
  for (std::size_t i = 0; i < std::size(kNumbered); ++i)
    if (contains_phrase(text, kNumbered[i])) return static_cast<int>(i) + 1;
  static constexpr std::string_view kDigits[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
  for (std::size_t at = text.find("第"); at != std::string_view::npos; at = text.find("第", at + 1)) {
    std::string_view rest = text.substr(at + std::string_view("第").size());
    while (rest.starts_with(" ")) rest.remove_prefix(1);
    int n = 0;
    if (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) {
      n = rest[0] - '0';
      rest.remove_prefix(1);
    } else {
      for (int d = 0; d < 9 && n == 0; ++d)
        if (rest.starts_with(kDigits[d])) {
          n = d + 1;
          rest.remove_prefix(kDigits[d].size());
        }
    }
    while (rest.starts_with(" ")) rest.remove_prefix(1);
    if (n > 0 && rest.starts_with("步")) return n;
  }
  return 0;
}

namespace {

// What people type between the groups of a number besides ASCII "-", "."
// and "/" (which stay inside an ASCII token): dashes, middle dots and
// bullets, spaces normalise() keeps (thin, narrow no-break, figure...), and
// invisible characters that join or separate nothing one can see.
bool is_number_separator(char32_t c) {
  return c == '-' || c == '.' || c == '/' || c == 0x00AD || c == 0x00B7 || (c >= 0x2010 && c <= 0x2015) ||
         c == 0x2022 || c == 0x2027 || c == 0x2212 || c == 0x2219 || c == 0x22C5 || c == 0x30FB || c == 0x30FC ||
         c == 0xFE58 || c == 0xFE63 || c == 0xFF65 || c == 0x1680 || (c >= 0x2000 && c <= 0x200D) || c == 0x202F ||
         c == 0x205F || c == 0x2060 || c == 0xFEFF;
}

bool only_number_separators(std::string_view token) {
  if (token.empty()) return false;
  for (std::size_t i = 0; i < token.size();)
    if (!is_number_separator(next_code_point(token, i))) return false;
  return true;
}

}  // namespace

// Masks anything that looks like a document number before a question is
// kept: runs of tokens holding digits (with single letters, and dashes, dots
// and other separators, ASCII or not, among them; full-width forms folded),
// 5 digits or more in all, become "[number]". "E12345678", "G 1234 5678",
// "E1234·5678", "1234—5678" and "Ｅ１２３４・５６７８" all go. The bot never
// stores passport numbers.
std::string mask_numbers(std::string_view raw) {
  const std::string text = normalise(raw);
  // Tokens: runs of ASCII and runs of other characters (Chinese has no
  // spaces), each with what separated it from the previous one.
  std::vector<std::string> tokens, gaps;
  std::string gap;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      gap = " ";
      ++i;
      continue;
    }
    const bool ascii = static_cast<unsigned char>(text[i]) < 0x80;
    std::size_t j = i;
    while (j < text.size() && text[j] != ' ' && (static_cast<unsigned char>(text[j]) < 0x80) == ascii) ++j;
    tokens.push_back(text.substr(i, j - i));
    gaps.push_back(tokens.size() == 1 ? "" : gap);
    gap.clear();
    i = j;
  }
  auto digits_in = [](const std::string& t) {
    return static_cast<int>(std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }));
  };
  auto numberish = [&](std::size_t k) {
    const auto& t = tokens[k];
    auto non_ascii = [](char c) { return static_cast<unsigned char>(c) >= 0x80; };
    return digits_in(t) > 0 && std::none_of(t.begin(), t.end(), non_ascii);
  };
  auto letter = [&](std::size_t k) {
    return tokens[k].size() == 1 && std::isalpha(static_cast<unsigned char>(tokens[k][0]));
  };
  auto separator = [&](std::size_t k) { return only_number_separators(tokens[k]); };
  // Digits at k, or a separator and then digits: what a number goes on with.
  auto digits_follow = [&](std::size_t k) {
    return k < tokens.size() && (numberish(k) || (separator(k) && k + 1 < tokens.size() && numberish(k + 1)));
  };
  // A letter or a separator belongs to a number only with digits after it.
  auto part_of_number = [&](std::size_t k) {
    return numberish(k) || ((letter(k) || separator(k)) && digits_follow(k + 1));
  };
  std::string out;
  for (std::size_t i = 0; i < tokens.size();) {
    if (separator(i) || !part_of_number(i)) {  // (a separator does not begin one)
      out += gaps[i] + tokens[i];
      ++i;
      continue;
    }
    std::size_t j = i;
    int digits = 0;
    while (j < tokens.size() && part_of_number(j)) digits += digits_in(tokens[j++]);
    if (digits >= 5) {
      out += gaps[i] + "[number]";
    } else {
      for (std::size_t k = i; k < j; ++k) out += gaps[k] + tokens[k];
    }
    i = j;
  }
  return out;
}

}  // namespace permit::dialogs
