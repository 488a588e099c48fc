// The navigation commands of common.json: a whole message, or a word
// before a number ("done 2"), or before a question they are no part of.

#include "dialogs/text.hpp"
#include "dialogs/turn.hpp"

#include <algorithm>
#include <array>

namespace permit::dialogs {
namespace {

// The commands that may stand before a question without being part of it.
constexpr std::array<const char*, 4> kBeforeQuestions = {"restart", "start", "menu", "help"};

}  // namespace

bool Turn::command(const std::string& norm, const char* name) const {
  auto it = common_.commands.find(name);
  return it != common_.commands.end() && std::find(it->second.begin(), it->second.end(), norm) != it->second.end();
}

bool Turn::starts_with_command(const std::string& norm, const char* name, std::string& rest) const {
  for (const auto& p : common_.commands.at(name)) {
    if (norm.size() > p.size() && norm.compare(0, p.size(), p) == 0) {
      rest = normalise(norm.substr(p.size()));
      return true;
    }
  }
  return false;
}

std::string Turn::after_command(const std::string& norm) const {
  // (A command word anywhere in what comes before a colon: "菜单里找不到：
  // 学校公函几个工作日能拿到".)
  for (std::string_view colon : {":", "："})
    if (const auto at = norm.find(colon); at != std::string::npos) {
      const std::string_view before = std::string_view(norm).substr(0, at);
      std::string_view rest = std::string_view(norm).substr(at + colon.size());
      while (rest.starts_with(" ")) rest.remove_prefix(1);
      // (When what follows asks: "start date of my permit: 5 jan 2027"
      // says a date.)
      for (const char* name : kBeforeQuestions)
        for (const auto& p : common_.commands.at(name))
          if (!rest.empty() && contains_phrase(before, p) && read(engine_.analyse(rest)).asks) return std::string(rest);
    }
  for (const char* name : kBeforeQuestions)
    for (const auto& p : common_.commands.at(name)) {
      // (A whole word: not "starting", "helpful".)
      if (norm.size() <= p.size() || norm.compare(0, p.size(), p) != 0 ||
          std::isalpha(static_cast<unsigned char>(norm[p.size()])) != 0)
        continue;
      std::string_view rest = std::string_view(norm).substr(p.size());
      while (rest.starts_with(" ")) rest.remove_prefix(1);
      for (std::string_view please : {"pls ", "please ", "plz "})
        if (rest.starts_with(please)) rest.remove_prefix(please.size());
      // Set off by a mark ("start over - where...", "help: how do i..."),
      // or "help" before what asks ("help how do i get my passport back").
      bool marked = false;
      while (!rest.empty() && std::string_view("-,:;!. ").find(rest.front()) != std::string_view::npos) {
        marked = marked || rest.front() != ' ';
        rest.remove_prefix(1);
      }
      if (rest.empty()) continue;
      // (Not "怎么用", also a call for help: "怎么用支付宝交费" asks how.)
      if (marked || (p == "help" && read(engine_.analyse(rest)).asks)) return std::string(rest);
    }
  return {};
}

}  // namespace permit::dialogs
