#include "bot/staff/unanswered_questions.hpp"

#include "bot/redis/keys.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace permit::core {

std::vector<UnansweredQuestion> group_unanswered(
    const std::vector<std::pair<std::string, redis::StreamFields>>& entries) {
  std::map<std::tuple<std::string, std::string, std::string>, int> counts;
  auto field = [](const redis::StreamFields& fields, const char* name) {
    auto it = fields.find(name);
    return it == fields.end() ? std::string() : it->second;
  };
  for (const auto& [id, f] : entries) ++counts[{field(f, "university"), field(f, "lang"), field(f, "text")}];
  std::vector<UnansweredQuestion> out;
  for (const auto& [key, n] : counts) out.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), n});
  // Stable: equal counts keep the map's order.
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

boost::asio::awaitable<boost::system::result<std::vector<UnansweredQuestion>>> read_unanswered(redis::Client& redis) {
  std::vector<std::string> range{"XRANGE", keys::kUnanswered, "-", "+"};
  auto entries = co_await redis.exec(std::move(range));
  if (auto ok = redis::succeeded(entries); !ok) co_return ok.error();
  co_return group_unanswered(redis::stream_entries(*entries));
}

}  // namespace permit::core
