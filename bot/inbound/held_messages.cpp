#include "bot/inbound/held_messages.hpp"

#include "bot/util/backoff.hpp"
#include "bot/util/concurrently.hpp"
#include "bot/util/log.hpp"
#include "bot/wechat/message_json.hpp"

#include <boost/asio/this_coro.hpp>

namespace permit::core {
namespace asio = boost::asio;

asio::awaitable<boost::system::result<void>> HeldMessages::hold(const wechat::InboundMessage& message) {
  const SweepSchedule::Times times = committer_.schedule().times();
  const std::string dedupe = wechat::dedupe_key(message);
  // The index entry and the hold share one round trip: the answer is due
  // within the platform's 5 s, and Redis may be why the budget ran out.
  // They are sent in this order on the one connection, but a script Redis
  // has not cached yet is sent again after a NOSCRIPT, behind the other:
  // the entry is therefore written again once the message is held.
  // (A failed first write is left to that second one.)
  boost::system::result<void> expected;
  boost::system::result<HoldResult> held = HoldResult::held;
  std::vector<asio::awaitable<void>> steps;
  steps.push_back(util::assign_from(inbox_.expect(message.from_user, times.now_ms, times.look_at_ms), expected));
  steps.push_back(util::assign_from(store_.hold(message.from_user, dedupe, wechat::to_json_body(message)), held));
  co_await util::run_concurrently(std::move(steps));
  if (!held) co_return held.error();
  // Held: "success" is safe to say now. In the background, after the
  // answer: the student's entry is written again (retried, if the first
  // write failed), and if the message was committed before it could be
  // held, the outbox that holds its reply now is drained.
  auto executor = co_await asio::this_coro::executor;
  tasks_.spawn(executor, after_hold(message.from_user, dedupe, times.look_at_ms, *held == HoldResult::committed));
  co_return boost::system::result<void>{};
}

asio::awaitable<void> HeldMessages::after_hold(std::string openid, std::string dedupe, std::int64_t look_at_ms,
                                               bool committed) {
  auto executor = co_await asio::this_coro::executor;
  const SweepSchedule& schedule = committer_.schedule();
  util::Backoff backoff(executor, std::chrono::steady_clock::now() + schedule.late_retry_window);
  boost::system::result<void> expected;
  do expected = co_await inbox_.expect(openid, schedule.times().now_ms, look_at_ms);
  while (!expected && co_await backoff.pause());
  if (!expected)
    util::log("error", "sweep entry of " + openid + " not rewritten after holding " + dedupe + ": " +
                           expected.error().message());
  if (committed) co_await committer_.drain_effects(std::move(openid), std::move(dedupe));
}

asio::awaitable<bool> HeldMessages::sweep() {
  constexpr int kBatch = 16;
  auto claims = co_await inbox_.claim_due(committer_.schedule().times().now_ms, claim_lease_.count(), kBatch);
  if (!claims) co_return false;  // Redis away: the next tick tries again
  for (const auto& claim : *claims) {
    auto settled = co_await finish(claim.openid);
    if (!settled) {
      util::log("warn", "held messages of " + claim.openid + " not finished: " + settled.error().message());
      continue;
    }
    // Something left (an effect that failed): the claim runs out and the
    // student is looked at again.
    if (!*settled) continue;
    auto released = co_await inbox_.release(claim);
    // Not released: the claim runs out and a later sweep finds nothing to do.
    if (!released)
      util::log("warn", "sweep entry of " + claim.openid + " not released: " + released.error().message());
  }
  co_return claims->size() == kBatch;
}

asio::awaitable<boost::system::result<bool>> HeldMessages::finish(std::string openid) {
  using Settled = boost::system::result<bool>;  // (built explicitly: an error_code converts to bool)
  // A student this instance is busy with now is left: what it holds is
  // being committed here, and the claim runs out for a later look. So a
  // sweep never waits (nor holds up shutdown) behind a late message.
  auto turn = lanes_.try_turn(openid);
  if (!turn) co_return false;
  auto held = co_await inbox_.held(openid);
  if (!held) co_return Settled(boost::system::in_place_error, held.error());
  for (const auto& message : *held) {
    auto done = co_await committer_.commit(message);
    if (!done) co_return Settled(boost::system::in_place_error, done.error());
    if (done->duplicate) continue;  // committed meanwhile, by its own instance
    metrics_.count_held_finished();
    util::log("info", "committed held message " + wechat::dedupe_key(message) + " of " + openid);
  }
  co_await committer_.drain_effects(openid, "held messages");
  co_return co_await inbox_.settled(openid);
}

}  // namespace permit::core
