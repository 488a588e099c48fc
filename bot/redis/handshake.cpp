#include "bot/redis/handshake.hpp"

namespace permit::redis {

std::vector<std::vector<std::string>> handshake_steps(const Options& options) {
  std::vector<std::vector<std::string>> steps;
  if (!options.password.empty()) {
    if (options.user.empty()) steps.push_back({"AUTH", options.password});
    else steps.push_back({"AUTH", options.user, options.password});
  }
  if (options.db != 0) steps.push_back({"SELECT", std::to_string(options.db)});
  if (!options.sentinel.sentinels.empty()) steps.push_back({"ROLE"});
  steps.push_back({"PING"});
  return steps;
}

std::string handshake_refusal(const Value& answer, bool role_check, std::string_view node) {
  if (answer.is_error()) return answer.str;
  if (!role_check) return "";
  const bool listed = answer.is_array() && !answer.elements.empty();
  if (listed && answer.elements[0].str == "master") return "";
  return std::string(node) + " is not the primary (ROLE " + (listed ? answer.elements[0].str : "?") + ")";
}

}  // namespace permit::redis
