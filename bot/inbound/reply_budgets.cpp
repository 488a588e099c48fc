#include "bot/inbound/reply_budgets.hpp"

#include <boost/asio/error.hpp>

#include <vector>

namespace permit::core {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

ReplyBudgets::ReplyBudgets(asio::any_io_executor executor) : state_(std::make_shared<State>(std::move(executor))) {}

void ReplyBudgets::watch(std::shared_ptr<ReplyHandoff> handoff, SteadyClock::time_point deadline) {
  std::lock_guard lock(state_->mutex);
  auto& watched = state_->watched;
  // Two threads may add out of order by a hair: keep the list sorted.
  auto at = watched.end();
  while (at != watched.begin() && std::prev(at)->deadline > deadline) --at;
  watched.insert(at, Watched{deadline, std::move(handoff)});
  // (Settled handoffs at the front go here too, while the list is short.)
  while (!watched.empty() && watched.front().handoff->settled()) watched.pop_front();
  if (!watched.empty() && (!state_->armed || watched.front().deadline < *state_->armed))
    arm(state_, watched.front().deadline);
}

std::size_t ReplyBudgets::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->watched.size();
}

void ReplyBudgets::arm(const std::shared_ptr<State>& state, SteadyClock::time_point at) {
  state->armed = at;
  state->timer.expires_at(at);  // a wait set for later ends with operation_aborted
  state->timer.async_wait([state](boost::system::error_code ec) {
    if (ec == asio::error::operation_aborted) return;  // set again, or shutting down
    on_timer(state);
  });
}

void ReplyBudgets::on_timer(const std::shared_ptr<State>& state) {
  std::vector<std::shared_ptr<ReplyHandoff>> due;
  {
    std::lock_guard lock(state->mutex);
    state->armed.reset();
    const auto now = SteadyClock::now();
    auto& watched = state->watched;
    while (!watched.empty() && (watched.front().deadline <= now || watched.front().handoff->settled())) {
      if (watched.front().deadline <= now) due.push_back(std::move(watched.front().handoff));
      watched.pop_front();
    }
    if (!watched.empty()) arm(state, watched.front().deadline);
  }
  // Outside the lock: a handoff takes its own.
  for (const auto& handoff : due) handoff->expire();
}

}  // namespace permit::core
