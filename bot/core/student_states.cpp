#include "bot/core/student_states.hpp"

namespace permit::core {

boost::asio::awaitable<boost::system::result<void>> for_each_student_state(redis::Client& redis, StateVisitor visit) {
  std::string cursor = "0";
  do {
    std::vector<std::string> scan{"SCAN", cursor, "MATCH", "{u:*}:conv", "COUNT", "1000"};
    auto page = co_await redis.exec(std::move(scan));
    if (!page) co_return page.error();
    if (!page->is_array() || page->elements.size() != 2) co_return redis::Error::unexpected_reply;
    cursor = page->elements[0].str;
    for (const auto& key : page->elements[1].elements) {
      std::vector<std::string> get{"HGET", key.str, "s"};
      auto state = co_await redis.exec(std::move(get));
      if (!state) co_return state.error();
      if (!state->is_string()) continue;
      // "{u:OPENID}:conv" -> OPENID
      const std::string& k = key.str;
      if (!visit(k.substr(3, k.size() - 3 - 6), dialogs::StudentState::parse(state->str))) co_return boost::system::result<void>();
    }
  } while (cursor != "0");
  co_return boost::system::result<void>();
}

}  // namespace permit::core
