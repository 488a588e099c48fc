#include "bot/core/inbound_pipeline.hpp"

#include "bot/util/backoff.hpp"
#include "bot/util/concurrently.hpp"
#include "bot/util/log.hpp"
#include "bot/wechat/message_json.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <mutex>
#include <optional>

namespace permit::core {
namespace asio = boost::asio;
using boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

dialogs::Inbound dialog_input(const wechat::InboundMessage& message) {
  using Kind = dialogs::Inbound::Kind;
  if (message.msg_type == "text") return {Kind::text, message.content};
  if (message.msg_type == "voice") return {Kind::voice, message.content};
  if (message.msg_type != "event") return {Kind::unsupported, {}};
  if (message.event == "subscribe") return {Kind::subscribe, message.event_key};
  if (message.event == "unsubscribe") return {Kind::unsubscribe, {}};
  // A menu click is handled like the command it stands for.
  if (message.event == "CLICK") return {Kind::text, message.event_key};
  return {Kind::ignored, {}};
}

namespace {

std::string join_replies(const std::vector<std::string>& replies) {
  std::string joined;
  for (const auto& r : replies) {
    if (!joined.empty()) joined += "\n\n";
    joined += r;
  }
  return joined;
}

}  // namespace

// The result passes from the background task to the waiting webhook, or, if
// the webhook gave up waiting, the message is held in Redis and its commit
// queues the reply: never both, never neither. The mutex makes that choice
// once.
struct InboundPipeline::Handoff {
  Handoff(asio::any_io_executor executor, wechat::InboundMessage m) : message(std::move(m)), wake(std::move(executor)) {}

  const wechat::InboundMessage message;
  std::mutex mutex;
  std::optional<boost::system::result<Processed>> outcome;
  Fate fate = Fate::waiting;
  asio::steady_timer wake;
};

InboundPipeline::InboundPipeline(asio::any_io_executor executor, ConversationStore& store,
                                 DialogSource& dialogs, Inbox& inbox, EffectOutbox& effects,
                                 Metrics& metrics,
                                 PipelineOptions options, WallClock clock)
    : store_(store),
      dialogs_(dialogs),
      inbox_(inbox),
      effects_(effects),
      metrics_(metrics),
      options_(options),
      clock_(std::move(clock)),
      cache_(options.cache_entries, options.cache_max_age),
      tasks_(executor) {}

asio::awaitable<boost::system::result<Answer>> InboundPipeline::handle(wechat::InboundMessage message,
                                                                       SteadyClock::time_point arrival,
                                                                       bool reply_later) {
  // (Executor fetched into a local: GCC 12 mishandles temporaries in a
  // full expression that also contains a co_await.)
  auto executor = co_await asio::this_coro::executor;
  auto handoff = std::make_shared<Handoff>(executor, std::move(message));
  // On the caller's own strand: no hop to another thread on the hot path.
  tasks_.spawn(executor, run_in_background(handoff));

  if (reply_later) {
    // Decided now: the reply goes out through the sender.
    std::lock_guard lock(handoff->mutex);
    handoff->fate = Fate::deferred;
  } else {
    // Wait for the outcome until the budget is spent. Arming the timer and
    // delivering the outcome both happen under the mutex, so a wake-up is
    // never lost.
    auto token = asio::as_tuple(asio::use_awaitable);
    co_await asio::async_initiate<decltype(token), void(error_code)>(
        [&](auto handler) {
          std::lock_guard lock(handoff->mutex);
          handoff->wake.expires_at(arrival + options_.reply_budget);
          handoff->wake.async_wait(std::move(handler));
          if (handoff->outcome) handoff->wake.cancel();
        },
        token);

    std::optional<boost::system::result<Processed>> outcome;
    {
      std::lock_guard lock(handoff->mutex);
      if (handoff->outcome)
        outcome = std::move(handoff->outcome);
      else
        handoff->fate = Fate::deferred;  // out of time
    }
    metrics_.observe_message_latency(SteadyClock::now() - arrival);
    if (outcome) {
      if (!*outcome) co_return outcome->error();
      co_return Answer{Answer::Kind::reply, std::move((*outcome)->reply)};
    }
  }

  // "success" only once the message is held in Redis: from then on no crash
  // or outage loses it. If it cannot be held, the platform gets a 503 and
  // retries; the retry is answered from whatever this attempt committed.
  auto held = co_await hold(handoff->message);
  if (!held) {
    std::lock_guard lock(handoff->mutex);
    handoff->fate = Fate::refused;
    co_return held.error();
  }
  metrics_.count_late_reply();
  co_return Answer{Answer::Kind::deferred, {}};
}

InboundPipeline::SweepTimes InboundPipeline::sweep_times() const {
  // By then this instance should have finished what it holds; if not, a
  // sweep does.
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch());
  return {now.count(), (now + options_.late_retry_window + options_.held_grace).count()};
}

asio::awaitable<boost::system::result<void>> InboundPipeline::hold(const wechat::InboundMessage& message) {
  const SweepTimes times = sweep_times();
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

asio::awaitable<void> InboundPipeline::after_hold(std::string openid, std::string dedupe, std::int64_t look_at_ms,
                                                  bool committed) {
  auto executor = co_await asio::this_coro::executor;
  util::Backoff backoff(executor, SteadyClock::now() + options_.late_retry_window);
  boost::system::result<void> expected;
  do expected = co_await inbox_.expect(openid, sweep_times().now_ms, look_at_ms);
  while (!expected && co_await backoff.pause());
  if (!expected)
    util::log("error", "sweep entry of " + openid + " not rewritten after holding " + dedupe + ": " +
                           expected.error().message());
  if (committed) co_await drain_effects(std::move(openid), std::move(dedupe));
}

asio::awaitable<void> InboundPipeline::run_in_background(std::shared_ptr<Handoff> handoff) {
  const wechat::InboundMessage& message = handoff->message;
  // The student's turn is held until this message is done, retries
  // included, so a later message never overtakes it.
  auto turn = co_await lanes_.wait_turn(message.from_user);
  auto result = co_await process(message);
  Fate fate;
  {
    std::lock_guard lock(handoff->mutex);
    fate = handoff->fate;
    if (fate == Fate::waiting) {
      handoff->outcome = std::move(result);
      handoff->wake.cancel();
      co_return;
    }
  }
  // Refused: the platform got a 503 and retries; the retry is answered from
  // whatever this attempt committed.
  if (fate == Fate::refused) co_return;

  // The platform was told "success" and the message is held: its commit
  // queues the reply. Retry passing failures for a while; past that, a
  // sweep finishes it.
  auto executor = co_await asio::this_coro::executor;
  util::Backoff backoff(executor, SteadyClock::now() + options_.late_retry_window);
  while (!result && co_await backoff.pause()) result = co_await process(message);
  if (!result)
    util::log("warn", "late message " + wechat::dedupe_key(message) + " from " + message.from_user +
                          " not committed yet (" + result.error().message() + "); it stays held for a sweep");
}

asio::awaitable<bool> InboundPipeline::sweep_held() {
  constexpr int kBatch = 16;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch());
  auto claims = co_await inbox_.claim_due(now.count(), options_.held_claim_lease.count(), kBatch);
  if (!claims) co_return false;  // Redis away: the next tick tries again
  for (const auto& claim : *claims) {
    auto settled = co_await finish_held(claim.openid);
    if (!settled) {
      util::log("warn", "held messages of " + claim.openid + " not finished: " + settled.error().message());
      continue;
    }
    // Something left (an effect that failed): the claim runs out and the
    // student is looked at again.
    if (*settled) co_await inbox_.release(claim);
  }
  co_return claims->size() == kBatch;
}

asio::awaitable<boost::system::result<bool>> InboundPipeline::finish_held(std::string openid) {
  using Settled = boost::system::result<bool>;  // (built explicitly: an error_code converts to bool)
  // A student this instance is busy with now is left: what it holds is
  // being committed here, and the claim runs out for a later look. So a
  // sweep never waits (nor holds up shutdown) behind a late message.
  auto turn = lanes_.try_turn(openid);
  if (!turn) co_return false;
  auto held = co_await inbox_.held(openid);
  if (!held) co_return Settled(boost::system::in_place_error, held.error());
  for (const auto& message : *held) {
    auto done = co_await process(message);
    if (!done) co_return Settled(boost::system::in_place_error, done.error());
    if (done->duplicate) continue;  // committed meanwhile, by its own instance
    metrics_.count_held_finished();
    util::log("info", "committed held message " + wechat::dedupe_key(message) + " of " + openid);
  }
  std::string what = "held messages";
  co_await drain_effects(openid, std::move(what));
  co_return co_await inbox_.settled(openid);
}

asio::awaitable<void> InboundPipeline::drain_effects(std::string openid, std::string dedupe) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  auto drained = co_await effects_.drain(openid, seconds);
  if (!drained) util::log("warn", "effects of " + dedupe + " left in the outbox: " + drained.error().message());
}

asio::awaitable<boost::system::result<InboundPipeline::Processed>> InboundPipeline::process(
    const wechat::InboundMessage& message) {
  const std::string dedupe = wechat::dedupe_key(message);
  const dialogs::Inbound input = dialog_input(message);
  std::optional<ConversationCache::Found> known = cache_.find(message.from_user, dedupe);
  if (known && known->reply) {
    // A retry that waited for its first attempt, which committed here.
    metrics_.count_dedupe_hit();
    co_return Processed{std::move(*known->reply), true};
  }
  for (int attempt = 0; attempt <= options_.max_conflicts; ++attempt) {
    Conversation current;
    if (known) {
      current = std::move(known->conversation);
      known.reset();
    } else {
      auto loaded = co_await store_.load(message.from_user, dedupe);
      if (!loaded) co_return loaded.error();
      if (loaded->prior_reply) {
        metrics_.count_dedupe_hit();
        if (loaded->pending_effects > 0) co_await drain_effects(message.from_user, dedupe);
        co_return Processed{std::move(*loaded->prior_reply), true};
      }
      current = std::move(loaded->conversation);
    }
    const auto now = clock_();
    // On the release the student is on (a publish never moves a student
    // mid-walkthrough unless its migration says so).
    dialogs::Outcome outcome;
    std::optional<std::string> failure;
    try {
      outcome = co_await dialogs_.respond(current.state, input, now);
    } catch (const std::exception& e) {
      failure = e.what();
    } catch (...) {
      failure = "not a std::exception";
    }
    // The engine should never throw. If it does, the student's progress is
    // kept as it was, never wiped: they get an apology, the message is
    // committed (a retry gets the same), and operators see it.
    if (failure) outcome = dialogs_.keep(current.state, input, "failed");
    if (!outcome.kept.empty()) {
      metrics_.count_state_kept(outcome.kept);
      util::log("error", "kept the state of " + message.from_user + " (" + outcome.kept + ") at " + dedupe +
                             (failure ? ": " + *failure : std::string()));
    }
    std::string reply = join_replies(outcome.replies);
    std::string new_state = outcome.state;
    std::vector<std::string> outbox = EffectOutbox::serialise(outcome.effects, dedupe);
    if (!outbox.empty()) {
      // The effects leave the student's slot after the commit (the drain).
      // Should this instance die in between, a sweep finds them through the
      // student's entry.
      const SweepTimes times = sweep_times();
      auto expected = co_await inbox_.expect(message.from_user, times.now_ms, times.look_at_ms);
      if (!expected) co_return expected.error();
    }
    auto committed = co_await store_.commit(message.from_user, dedupe, current.version, std::move(outcome.state), reply,
                                            std::move(outbox));
    if (!committed) {
      // Committed or not, nobody knows: read Redis next time.
      cache_.forget(message.from_user);
      co_return committed.error();
    }
    switch (committed->status) {
      case CommitResult::Status::committed: {
        if (observer_)
          observer_(CommittedTurn{message.from_user, current.state, new_state, outcome.effects,
                                  std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count()});
        cache_.remember(message.from_user, Conversation{committed->version, std::move(new_state)}, dedupe, reply);
        // Committed with the state already; what fails here stays in the
        // outbox for the next drain, and the reply goes out regardless.
        if (committed->pending_effects > 0) co_await drain_effects(message.from_user, dedupe);
        co_return Processed{std::move(reply), false};
      }
      case CommitResult::Status::duplicate:
        metrics_.count_dedupe_hit();
        if (committed->pending_effects > 0) co_await drain_effects(message.from_user, dedupe);
        co_return Processed{std::move(committed->prior_reply), true};
      case CommitResult::Status::conflict:
        // Another instance moved the state on (or the cached copy was
        // stale): read it again and rerun the dialog.
        cache_.forget(message.from_user);
        break;
    }
  }
  co_return make_error_code(boost::system::errc::resource_unavailable_try_again);
}

}  // namespace permit::core
