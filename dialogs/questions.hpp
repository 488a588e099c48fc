#pragma once

#include "dialogs/engine.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace permit::dialogs {

// The questions in one message: "Where is the immigration office and how
// much is the fee?" is two. Splits at sentence ends, and at "and", "also",
// a comma or "还有" where both sides ask something (a question word or an
// attribute such as "fee" on each side). Parts come back as the engine
// reads them (texting forms written out, spelling corrected), at most
// kMaxParts of them. One part is the message's text itself.
std::vector<std::string> split_question(const Engine& engine, const Analysis& message);

constexpr std::size_t kMaxParts = 3;

// "Is", "can", "do"...: English asks with them only at the start of a
// sentence ("is there a fee?", not "my passport is E123").
bool is_inverted(std::string_view word);

// The length of a word at the end of `before` (spaces trimmed) that denies
// what is named next: "I'm at NENU, not HUST", "不是3号，是5号". 0: none.
std::size_t denial_at_end(std::string_view before);

// `text` without what a contrast denies: "我丢的不是护照，是居留许可" is
// about the permit, "i lost not my passport but my permit" too. The
// denial and what it names, up to the clause that says what it is
// instead ("是", "而是", "but", "it's"), become spaces; `text` unchanged
// otherwise.
std::string without_denied(std::string text);

// Whether the words of `text` before `at`, in its clause, hold one of
// `negations` (common.json's "negation"): "X2签证 不是X1", "我现在不住宿舍
// 了", "I no longer live on campus".
bool negated(std::string_view text, std::size_t at, const std::vector<std::string>& negations);

}  // namespace permit::dialogs
