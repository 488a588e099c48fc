#include "bot/util/text_diff.hpp"

#include <dtl/dtl.hpp>

#include <sstream>
#include <vector>

namespace permit::util {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

std::string unified_diff(const std::string& before, const std::string& after, const std::string& before_name,
                         const std::string& after_name) {
  if (before == after) return {};
  // dtl (Debian's libdtl-dev): the shortest edit script, then its hunks.
  dtl::Diff<std::string> diff(lines(before), lines(after));
  diff.compose();
  diff.composeUnifiedHunks();
  std::ostringstream out;
  out << "--- " << before_name << "\n+++ " << after_name << "\n";
  diff.printUnifiedFormat(out);
  return out.str();
}

}  // namespace permit::util
