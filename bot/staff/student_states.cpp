#include "bot/staff/student_states.hpp"

#include "bot/redis/exec_all.hpp"
#include "bot/redis/keys.hpp"

namespace permit::core {
namespace asio = boost::asio;

asio::awaitable<boost::system::result<StatePage>> read_state_page(redis::Client& redis, std::string cursor) {
  std::vector<std::string> scan{"SCAN", cursor, "MATCH", keys::kConversationPattern, "COUNT", "1000"};
  auto page = co_await redis.exec(std::move(scan));
  if (!page) co_return page.error();
  if (!page->is_array() || page->elements.size() != 2) co_return redis::Error::unexpected_reply;
  const auto& found = page->elements[1].elements;
  // Every state of the page at once: the commands share the pipeline.
  std::vector<std::vector<std::string>> reads;
  for (const auto& key : found) reads.push_back({"HMGET", key.str, "s", "t"});
  std::vector<redis::Result> rows = co_await redis::exec_all(redis, std::move(reads));
  StatePage out{page->elements[0].str, {}};
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (!rows[i]) co_return rows[i].error();
    const auto& row = *rows[i];
    if (!row.is_array() || row.elements.size() != 2 || !row.elements[0].is_string()) continue;
    const auto openid = keys::conversation_openid(found[i].str);
    if (!openid) continue;  // matched the pattern, but not one of ours
    const std::int64_t last = redis::to_int(row.elements[1]).value_or(0);
    out.rows.push_back({std::string(*openid), row.elements[0].str, last});
  }
  co_return out;
}

asio::awaitable<boost::system::result<void>> for_each_student_state(redis::Client& redis, StateVisitor visit) {
  std::string cursor = "0";
  do {
    auto page = co_await read_state_page(redis, cursor);
    if (!page) co_return page.error();
    for (const auto& row : page->rows) visit(dialogs::StudentState::parse(row.state));
    cursor = page->next_cursor;
  } while (cursor != "0");
  co_return boost::system::result<void>();
}

}  // namespace permit::core
