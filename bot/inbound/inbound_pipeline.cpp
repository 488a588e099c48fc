#include "bot/inbound/inbound_pipeline.hpp"

#include "bot/util/backoff.hpp"
#include "bot/util/log.hpp"
#include "bot/wechat/message_json.hpp"

#include <boost/asio/this_coro.hpp>

namespace permit::core {
namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {
// How long past the reply budget the replicas may take to confirm a hold.
constexpr std::chrono::milliseconds kHoldWait{500};
}  // namespace

InboundPipeline::InboundPipeline(asio::any_io_executor executor, ConversationStore& store, DialogSource& dialogs,
                                 Inbox& inbox, EffectOutbox& effects, Metrics& metrics, PipelineOptions options,
                                 WallClock clock)
    : metrics_(metrics),
      options_(options),
      storage_(store, inbox, effects),
      committer_(storage_, dialogs, metrics,
                 SweepSchedule{std::move(clock), options.late_retry_window, options.held_grace},
                 CommitterOptions{options.max_conflicts, options.cache_entries, options.cache_max_age}),
      tasks_(executor),
      budgets_(executor),
      held_(store, inbox, committer_, lanes_, tasks_, metrics, options.held_claim_lease) {}

asio::awaitable<boost::system::result<Answer>> InboundPipeline::handle(wechat::InboundMessage message,
                                                                       SteadyClock::time_point arrival,
                                                                       bool reply_later) {
  // (Executor fetched into a local: GCC 12 mishandles temporaries in a
  // full expression that also contains a co_await.)
  auto executor = co_await asio::this_coro::executor;
  // Before anything of this message is written: WAIT must run on the
  // connection the commit went through.
  const redis::ReplicaAcks::Ticket ticket = options_.replicas ? options_.replicas->ticket() : 0;
  // Committed here when it can be: the student's turn free, and enough of
  // the budget left for the waits on Redis this may take (quick_wait). A
  // message that must wait its turn, or run again because another
  // instance moved the state on, goes to the background instead, the turn
  // with it.
  const bool quick = !reply_later && SteadyClock::now() + options_.quick_wait <= arrival + options_.reply_budget;
  std::optional<UserLanes::Ticket> turn = quick ? lanes_.try_turn(message.from_user) : std::nullopt;
  if (turn)
    if (auto outcome = co_await committer_.commit_once(message))
      co_return co_await answer(std::move(*outcome), ticket, arrival);

  auto handoff = std::make_shared<ReplyHandoff>(std::move(message));
  // On the caller's own strand: no hop to another thread on the hot path.
  tasks_.spawn(executor, run_in_background(handoff, std::move(turn)));

  if (reply_later) {
    // Decided now: the reply goes out through the sender.
    handoff->decide(ReplyHandoff::Fate::deferred);
  } else {
    budgets_.watch(handoff, arrival + options_.reply_budget);
    if (auto outcome = co_await handoff->wait()) co_return co_await answer(std::move(*outcome), ticket, arrival);
  }

  // "success" only once the message is held in Redis: from then on no crash
  // or outage loses it. If it cannot be held, the platform gets a 503 and
  // retries; the retry is answered from whatever this attempt committed.
  auto held = co_await held_.hold(handoff->message());
  if (!held) {
    handoff->decide(ReplyHandoff::Fate::refused);
    co_return held.error();
  }
  metrics_.count_late_reply();
  // "success" too means replicated: a hold only the old primary knew would
  // lose a message the platform believes delivered. The platform waits 5 s
  // and the budget is 4 s: WAIT gets at most half the rest. Unconfirmed,
  // the answer is 503 although the message stays held and will be answered
  // through the API; the platform's retry is then answered with the same
  // reply, so the student may read it twice. Twice is the lesser harm: the
  // alternative loses the message.
  if (options_.replicas) {
    auto replicated = co_await options_.replicas->confirm(ticket, arrival + options_.reply_budget + kHoldWait);
    if (!replicated) co_return replicated.error();
  }
  co_return Answer{Answer::Kind::deferred, {}};
}

asio::awaitable<boost::system::result<Answer>> InboundPipeline::answer(boost::system::result<Processed> outcome,
                                                                       redis::ReplicaAcks::Ticket ticket,
                                                                       SteadyClock::time_point arrival) {
  metrics_.observe_message_latency(SteadyClock::now() - arrival);
  if (!outcome) co_return outcome.error();
  // Acknowledged means replicated: if the replicas do not confirm in
  // time, 503, and the platform's retry is answered from this commit.
  if (options_.replicas) {
    auto replicated = co_await options_.replicas->confirm(ticket, arrival + options_.reply_budget);
    if (!replicated) co_return replicated.error();
  }
  co_return Answer{Answer::Kind::reply, std::move(outcome->reply)};
}

asio::awaitable<void> InboundPipeline::run_in_background(std::shared_ptr<ReplyHandoff> handoff,
                                                         std::optional<UserLanes::Ticket> turn) {
  const wechat::InboundMessage& message = handoff->message();
  // The student's turn is held until this message is done, retries
  // included, so a later message never overtakes it. A free turn is taken
  // here: wait_turn, a coroutine of its own, only when it is not.
  if (!turn)
    if (auto free = lanes_.try_turn(message.from_user)) turn.emplace(std::move(*free));
  if (!turn) turn.emplace(co_await lanes_.wait_turn(message.from_user));
  auto result = co_await committer_.commit(message);
  switch (handoff->deliver(result)) {
    case ReplyHandoff::Fate::waiting:
      co_return;  // the webhook has it
    case ReplyHandoff::Fate::refused:
      // The platform got a 503 and retries; the retry is answered from
      // whatever this attempt committed.
      co_return;
    case ReplyHandoff::Fate::deferred:
      break;
  }
  // The platform was told "success" and the message is held: its commit
  // queues the reply. Retry passing failures for a while; past that, a
  // sweep finishes it.
  auto executor = co_await asio::this_coro::executor;
  util::Backoff backoff(executor, SteadyClock::now() + options_.late_retry_window);
  while (!result && co_await backoff.pause()) result = co_await committer_.commit(message);
  if (!result)
    util::log("warn", "late message " + wechat::dedupe_key(message) + " from " + message.from_user +
                          " not committed yet (" + result.error().message() + "); it stays held for a sweep");
}

}  // namespace permit::core
