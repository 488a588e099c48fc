#pragma once

#include <map>
#include <string>
#include <vector>

namespace permit::dialogs {

// A release written for an older engine lacks the texts a newer engine
// says (say "expected", added with the dates it needs): its common.json
// gets them from `defaults` (the scripts the bot ships with), instead of
// the whole release failing to load and the admins' edits being set aside
// for the shipped scripts. Texts the release has are kept as they are.
// Returns the names of the texts added; `files` is changed only if some
// were (and only its common.json). A common.json that does not parse, in
// either, is left for the loader to report.
std::vector<std::string> add_missing_texts(std::map<std::string, std::string>& files,
                                           const std::map<std::string, std::string>& defaults);

}  // namespace permit::dialogs
