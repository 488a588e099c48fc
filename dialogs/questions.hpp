#pragma once

#include "dialogs/engine.hpp"

#include <string>
#include <vector>

namespace permit::dialogs {

// The questions in one message: "Where is the immigration office and how
// much is the fee?" is two. Splits at sentence ends, and at "and", "also",
// a comma or "还有" where both sides ask something (a question word or an
// attribute such as "fee" on each side). Parts come back as the engine
// reads them (texting forms written out, spelling corrected), at most
// kMaxParts of them.
std::vector<std::string> split_question(const Engine& engine, const std::string& message);

constexpr std::size_t kMaxParts = 3;

}  // namespace permit::dialogs
