#include "dialogs/permit_length.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <string>

namespace permit::dialogs {
namespace {

// Only run for an answer that depends on the length (a fee table), so a
// regex per message costs nothing on the common path.
// At most three digits: a longer number is no permit's length (and would
// not fit a double's parse).
const std::string kEnglishNumber = R"((\d{1,3}(?:\.\d{1,2})?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve))";
// 十八, 二十四: alternations, not character classes (the regex sees bytes).
const std::string kChineseNumber =
    R"((\d{1,3}(?:\.\d{1,2})?|(?:一|二|两|三|四|五|六|七|八|九)?十(?:一|二|三|四|五|六|七|八|九)?|一|二|两|三|四|五|六|七|八|九))";

// One Chinese digit (两 is 2), or -1.
int chinese_digit(std::string_view s) {
  static const std::array<std::string_view, 10> digits = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  for (std::size_t i = 0; i < digits.size(); ++i)
    if (s == digits[i]) return static_cast<int>(i);
  return s == "两" ? 2 : -1;
}

// "4", "2.5", "four", "两", "十八", "二十四"; "a"/"an" is one. What the
// patterns above let through always reads.
double number(const std::string& s) {
  static const std::array<std::string_view, 13> english = {"zero", "one", "two",   "three", "four",   "five",  "six",
                                                           "seven", "eight", "nine", "ten",  "eleven", "twelve"};
  for (std::size_t i = 0; i < english.size(); ++i)
    if (s == english[i]) return static_cast<double>(i);
  if (s.empty() || s == "a" || s == "an") return 1;
  if (const int d = chinese_digit(s); d >= 0) return d;
  static constexpr std::string_view ten = "十";
  if (const auto at = s.find(ten); at != std::string::npos) {
    const std::string_view view(s), tens = view.substr(0, at), ones = view.substr(at + ten.size());
    const int t = tens.empty() ? 1 : chinese_digit(tens), o = ones.empty() ? 0 : chinese_digit(ones);
    return t < 0 || o < 0 ? 0 : 10 * t + o;
  }
  return std::strtod(s.c_str(), nullptr);  // digits only, at most 3 (and no exceptions)
}

double in_months(double n, const std::string& unit) {
  return unit.starts_with("month") || unit == "个月" ? n : 12 * n;
}

// A length no permit has (a calendar year, "20 years") is not one.
bool plausible(double months) { return months > 0 && months <= 120; }

std::string plain(double n) {
  std::string s = std::to_string(n);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

Text said_months(double months) {
  if (std::fmod(months, 12) == 0) {
    const double years = months / 12;
    return {plain(years) + (years == 1 ? " year" : " years"), plain(years) + "年"};
  }
  return {plain(months) + " months", plain(months) + "个月"};
}

std::optional<PermitLength> checked(PermitLength l) {
  if (l.kind == PermitLength::Kind::above) return plausible(l.from) ? std::optional(l) : std::nullopt;
  if (!plausible(l.to) || l.from < 0 || l.from > l.to) return std::nullopt;
  return l;
}

// A bound on the length, said with words before the number in English
// ("less than a year") and before or after it in Chinese ("不到一年",
// "一年以内").
class Bound {
 public:
  Bound(const std::string& en_words, const std::string& zh_before, const std::string& zh_after)
      : en_(R"(\b(?:)" + en_words + R"()\s+(?:(a|an)\s+|)" + kEnglishNumber + R"([\s-]*)(years?|months?)\b)"),
        zh_before_("(?:" + zh_before + R"()\s*)" + kChineseNumber + R"(\s*(年|个月))"),
        zh_after_("(?:^|[^第\\d])" + kChineseNumber + R"(\s*(年|个月)\s*(?:)" + zh_after + ")") {}

  // The bound's months, if `text` says one.
  std::optional<double> months_in(const std::string& text) const {
    std::smatch m;
    if (std::regex_search(text, m, en_)) return in_months(number(m[2].matched ? m[2].str() : m[1].str()), m[3]);
    if (std::regex_search(text, m, zh_before_) || std::regex_search(text, m, zh_after_))
      return in_months(number(m[1]), m[2]);
    return std::nullopt;
  }

 private:
  std::regex en_, zh_before_, zh_after_;
};

}  // namespace

double PermitLength::months() const {
  switch (kind) {
    case Kind::exact: return to;
    case Kind::below: return to - 0.5;
    case Kind::range: return (from + to) / 2;
    case Kind::above: return from + 0.5;
  }
  return to;
}

std::string PermitLength::key() const {
  const char k = kind == Kind::exact ? 'e' : kind == Kind::below ? 'b' : kind == Kind::range ? 'r' : 'a';
  return std::string(1, k) + ":" + plain(from) + ":" + plain(to);
}

std::optional<PermitLength> PermitLength::from_key(std::string_view key) {
  if (key.size() < 5 || key[1] != ':') return std::nullopt;
  PermitLength l;
  switch (key[0]) {
    case 'e': l.kind = Kind::exact; break;
    case 'b': l.kind = Kind::below; break;
    case 'r': l.kind = Kind::range; break;
    case 'a': l.kind = Kind::above; break;
    default: return std::nullopt;
  }
  const std::string_view rest = key.substr(2);
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<double> {
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !(v >= 0) || v > 1200) return std::nullopt;
    return v;
  };
  const auto from = number(rest.substr(0, colon)), to = number(rest.substr(colon + 1));
  if (!from || !to) return std::nullopt;
  l.from = *from;
  l.to = *to;
  return l;
}

Text PermitLength::said() const {
  const Text upper = said_months(to);
  switch (kind) {
    case Kind::exact: return upper;
    case Kind::below: return {"less than " + upper.en, upper.zh + "以内"};
    case Kind::above: return {"more than " + said_months(from).en, said_months(from).zh + "以上"};
    case Kind::range: {
      const bool years = std::fmod(from, 12) == 0 && std::fmod(to, 12) == 0;
      if (years) return {plain(from / 12) + "-" + plain(to / 12) + " years", plain(from / 12) + "-" + plain(to / 12) + "年"};
      return {said_months(from).en + " to " + upper.en, said_months(from).zh + "至" + upper.zh};
    }
  }
  return upper;
}

std::optional<PermitLength> find_permit_length(std::string_view view) {
  // libstdc++'s regex recurses once per character a repetition takes: a
  // message of thousands of dashes must not reach it whole. A length is
  // said in the question's first sentences.
  constexpr std::size_t kLongest = 512;
  const std::string text(view.substr(0, kLongest));
  // Most questions name no length: no regex for them (each search costs
  // microseconds).
  if (text.find("year") == std::string::npos && text.find("month") == std::string::npos &&
      text.find("年") == std::string::npos && text.find("月") == std::string::npos)
    return std::nullopt;
  // "I have studied here for 3 years": how long the student has been
  // here, not how long the permit is.
  static const std::regex been_here(R"(\b(?:studied|studying|been here|lived|living|stayed)\b|读了|学了|来了|住了)");
  if (std::regex_search(text, been_here)) return std::nullopt;
  std::smatch m;
  using K = PermitLength::Kind;
  const std::string& n = kEnglishNumber;
  const std::string& c = kChineseNumber;
  // "3 to 5 years", "3-5年"
  static const std::regex en_range("\\b" + n + R"(\s*(?:-|to|or)\s*)" + n + R"([\s-]*(?:more\s+)?(years?|months?)\b)");
  static const std::regex zh_range("(?:^|[^第\\d])" + c + R"(\s*(?:-|到|至|~|～)\s*)" + c + R"(\s*(年|个月))");
  if (std::regex_search(text, m, en_range) || std::regex_search(text, m, zh_range))
    return checked({K::range, in_months(number(m[1]), m[3]), in_months(number(m[2]), m[3])});
  // "less than a year", "under 1 yr", "不到一年", "一年以内"
  static const Bound below("less than|under|below|shorter than|within|up to|not more than|no more than",
                           "不到|不满|少于|未满|低于", "以内|以下|之内|内");
  if (const auto months = below.months_in(text)) return checked({K::below, 0, *months});
  // "more than a year", "over 1 yr", "超过一年", "一年以上"
  static const Bound above("more than|over|above|longer than|beyond", "超过|多于|大于|高于|长于", "以上|多(?!少)");
  if (const auto months = above.months_in(text)) return checked({K::above, *months, 0});
  // "half a year", "a year and a half", "半年", "一年半"
  static const std::regex en_half(R"(\bhalf (?:a|one) year\b|\bsix months\b)");
  static const std::regex en_and_half("\\b(a|" + n.substr(1, n.size() - 2) + R"() (?:and a half years?|years? and a half)\b)");
  static const std::regex zh_and_half(c + "年半");
  if (std::regex_search(text, m, zh_and_half) || std::regex_search(text, m, en_and_half))
    return checked({K::exact, 0, 12 * number(m[1]) + 6});
  if (std::regex_search(text, m, en_half) || text.find("半年") != std::string::npos) return checked({K::exact, 0, 6});
  // "2 years", "a 2-year permit", "for a year", "18 months", "两年", "6个月"
  static const std::regex en_exact("\\b" + n + R"([\s-]*(?:more\s+)?(years?|months?)\b(?!\s*(?:ago|old)))");
  static const std::regex en_a_year(R"(\b(?:for|of) (a|one) (year)\b)");
  static const std::regex zh_exact("(?:^|[^第\\d])" + c + R"(\s*(年|个月)(?![\d一二三四五六七八九十]+月))");
  if (std::regex_search(text, m, en_exact) || std::regex_search(text, m, zh_exact) || std::regex_search(text, m, en_a_year))
    return checked({K::exact, 0, in_months(number(m[1]), m[2])});
  return std::nullopt;
}

std::vector<const ByLength::Row*> rows_for(const ByLength& by, const PermitLength& length) {
  std::vector<const ByLength::Row*> out;
  const double v = length.months();
  double from = 0;
  if (length.kind == PermitLength::Kind::above) {
    for (const auto& row : by.rows)
      if (row.upto_months > length.from) out.push_back(&row);
    return out;
  }
  for (const auto& row : by.rows) {
    if (v >= from && v <= row.upto_months) out.push_back(&row);
    from = row.upto_months;
  }
  return out;
}

std::optional<PermitLength> find_told_length(std::string_view text) {
  for (std::string_view no : {" not ", "不是", "not ", "isn't ", "isnt "}) {
    const auto at = no == "not " ? (text.starts_with(no) ? 0 : std::string_view::npos) : text.find(no);
    if (at == std::string_view::npos) continue;
    // "2 years not 6 months": the one before the denial.
    if (auto before = find_permit_length(text.substr(0, at))) return before;
    // "not 6 months, 2 years", "不是半年，是两年", "isn't 2 years, it's 1
    // year": the one after the denied one.
    std::string_view rest = text.substr(at + no.size());
    for (std::string_view next : {",", "，", " but ", "是", " it's ", " its "})
      if (const auto cut = rest.find(next); cut != std::string_view::npos)
        if (auto after = find_permit_length(rest.substr(cut + next.size()))) return after;
    return std::nullopt;
  }
  return find_permit_length(text);
}

}  // namespace permit::dialogs
