#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// Text handling shared by the command matcher and the ranker.

// Lower-cases ASCII, turns full-width forms (Ａ, １, ？, the ideographic
// space) into ASCII, collapses runs of white space and trims, and drops
// trailing punctuation ("Next!" and "next" are the same command).
std::string normalise(std::string_view text);

// True for a code point in the CJK ideograph blocks.
bool is_cjk(char32_t c);

// True when the text holds a CJK ideograph: the reply is then in Chinese.
bool has_cjk(std::string_view text);

// Decodes one UTF-8 code point at `i` and advances `i`; malformed bytes
// decode as U+FFFD, one byte at a time.
char32_t next_code_point(std::string_view text, std::size_t& i);

// Whether `needle` occurs in `text` as whole words (for Latin text) or
// anywhere (when it is CJK); find_phrase: where, from `from` on (npos: not).
bool contains_phrase(std::string_view text, std::string_view needle);
// Whether the student wrote a question mark, ASCII or full-width (the
// normalised text has lost it).
bool has_question_mark(std::string_view raw);

std::size_t find_phrase(std::string_view text, std::string_view needle, std::size_t from = 0);

// At most `max_bytes` of the text, cut where a UTF-8 character starts.
std::string utf8_prefix(std::string_view text, std::size_t max_bytes);

// Reads a small positive integer ("2", "done 2" after its prefix); -1 if
// the text is not just a number.
int parse_small_number(std::string_view text);

// The step a question names by the page's numbering: "step 3", "step3",
// "第3步", "第三步"; 0 if none.
int step_named(std::string_view text);

// The text with anything like a document number (5 or more digits in a run
// of number-like tokens: "E12345678", "G 1234 5678", "1234·5678",
// "1234—5678", full width too) replaced by "[number]", normalised. The bot
// never stores passport numbers.
std::string mask_numbers(std::string_view text);

}  // namespace permit::dialogs
