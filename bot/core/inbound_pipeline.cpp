#include "bot/core/inbound_pipeline.hpp"

#include "bot/util/log.hpp"

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
// the webhook gave up waiting, to the late-reply queue: never both, never
// neither. The mutex makes that choice once.
struct InboundPipeline::Handoff {
  explicit Handoff(asio::any_io_executor executor) : wake(std::move(executor)) {}

  std::mutex mutex;
  std::optional<boost::system::result<Processed>> outcome;
  Fate fate = Fate::waiting;
  asio::steady_timer wake;
};

InboundPipeline::InboundPipeline(asio::any_io_executor executor, ConversationStore& store,
                                 DialogSource& dialogs, LateReplyQueue& late_replies, EffectOutbox& effects,
                                 Metrics& metrics,
                                 PipelineOptions options, WallClock clock)
    : store_(store),
      dialogs_(dialogs),
      late_replies_(late_replies),
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
  auto handoff = std::make_shared<Handoff>(executor);
  tasks_.add();
  // On the caller's own strand: no hop to another thread on the hot path.
  asio::co_spawn(executor, run_in_background(std::move(message), handoff),
                 [this](std::exception_ptr e) {
                   tasks_.done();
                   if (e) std::rethrow_exception(e);
                 });

  if (reply_later) {
    // Decided now: the background task commits and queues the reply.
    std::lock_guard lock(handoff->mutex);
    handoff->fate = store_.reachable() ? Fate::deferred : Fate::refused;
    if (handoff->fate == Fate::refused) co_return make_error_code(redis::Error::not_connected);
    co_return Answer{Answer::Kind::deferred, {}};
  }

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
  Fate fate = Fate::waiting;
  {
    std::lock_guard lock(handoff->mutex);
    if (handoff->outcome) {
      outcome = std::move(handoff->outcome);
    } else {
      // Out of time. Say "success" only while the store is reachable, so
      // the message can still be committed; otherwise refuse, and the
      // platform retries.
      handoff->fate = store_.reachable() ? Fate::deferred : Fate::refused;
      fate = handoff->fate;
    }
  }
  metrics_.observe_message_latency(SteadyClock::now() - arrival);
  if (fate == Fate::refused) co_return make_error_code(redis::Error::not_connected);
  if (!outcome) co_return Answer{Answer::Kind::deferred, {}};
  if (!*outcome) co_return outcome->error();
  co_return Answer{Answer::Kind::reply, std::move((*outcome)->reply)};
}

asio::awaitable<void> InboundPipeline::run_in_background(wechat::InboundMessage message,
                                                         std::shared_ptr<Handoff> handoff) {
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

  // The platform was already told "success", so this message must not be
  // lost to a passing failure: retry until committed, then queue the reply.
  auto deadline = SteadyClock::now() + options_.late_retry_window;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer pause(executor);
  auto backoff = std::chrono::milliseconds(50);
  while (!result && SteadyClock::now() < deadline) {
    pause.expires_after(backoff);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    result = co_await process(message);
  }
  if (!result) {
    util::log("error", "late message " + wechat::dedupe_key(message) + " from " + message.from_user +
                           " could not be committed: " + result.error().message());
    co_return;
  }
  // A duplicate is queued too: it is usually this very message, committed
  // by an attempt whose answer from Redis was lost. The entry carries the
  // dedupe key, so the sender delivers each message's reply once.
  if (result->reply.empty()) co_return;
  LateReply late{message.from_user, wechat::dedupe_key(message), result->reply};
  for (;;) {
    auto pushed = co_await late_replies_.push(late);
    if (pushed) {
      metrics_.count_late_reply();
      co_return;
    }
    if (SteadyClock::now() >= deadline) {
      util::log("error", "late reply for " + late.dedupe_key + " could not be queued: " + pushed.error().message());
      co_return;
    }
    pause.expires_after(backoff);
    co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<void> InboundPipeline::drain_effects(const std::string& openid, const std::string& dedupe) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  auto drained = co_await effects_.drain(openid, seconds);
  if (!drained) util::log("warn", "effects of " + dedupe + " left in the outbox: " + drained.error().message());
}

asio::awaitable<boost::system::result<InboundPipeline::Processed>> InboundPipeline::process(
    const wechat::InboundMessage& message) {
  const std::string dedupe = wechat::dedupe_key(message);
  const dialogs::Inbound input = dialog_input(message);
  std::optional<Conversation> known = cache_.find(message.from_user);
  for (int attempt = 0; attempt <= options_.max_conflicts; ++attempt) {
    Conversation current;
    if (known) {
      current = std::move(*known);
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
    bool failed = false;
    try {
      outcome = co_await dialogs_.respond(current.state, input, now);
    } catch (const std::exception& e) {
      // The engine should never throw; if a stored state still makes it,
      // the student starts afresh rather than being refused forever.
      util::log("error", "dialog failed on the state of " + message.from_user + ": " + e.what() + "; starting afresh");
      failed = true;
    }
    if (failed) outcome = co_await dialogs_.respond("", input, now);
    std::string reply = join_replies(outcome.replies);
    std::string new_state = outcome.state;
    std::vector<std::string> outbox = EffectOutbox::serialise(outcome.effects);
    auto committed = co_await store_.commit(message.from_user, dedupe, current.version, std::move(outcome.state), reply,
                                            std::move(outbox));
    if (!committed) {
      // Committed or not, nobody knows: read Redis next time.
      cache_.forget(message.from_user);
      co_return committed.error();
    }
    switch (committed->status) {
      case CommitResult::Status::committed: {
        cache_.remember(message.from_user, Conversation{committed->version, std::move(new_state)});
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
