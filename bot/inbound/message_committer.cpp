#include "bot/inbound/message_committer.hpp"

#include "bot/inbound/effect_outbox.hpp"
#include "bot/util/log.hpp"
#include "bot/wechat/message_json.hpp"

#include <optional>

namespace permit::core {
namespace asio = boost::asio;

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

std::string join_replies(std::vector<std::string>&& replies) {
  // Nearly every turn says one thing: that one is the reply, not a copy.
  if (replies.size() == 1) return std::move(replies.front());
  std::string joined;
  for (const auto& r : replies) {
    if (!joined.empty()) joined += "\n\n";
    joined += r;
  }
  return joined;
}

}  // namespace

MessageCommitter::MessageCommitter(MessageStore& store, DialogSource& dialogs, Metrics& metrics,
                                   SweepSchedule schedule, CommitterOptions options)
    : store_(store),
      dialogs_(dialogs),
      metrics_(metrics),
      schedule_(std::move(schedule)),
      options_(options),
      cache_(options.cache_entries, options.cache_max_age) {}

asio::awaitable<void> MessageCommitter::drain_effects(std::string openid, std::string what) {
  auto drained = co_await store_.drain_effects(openid, schedule_.now_seconds());
  if (!drained) util::log("warn", "effects of " + what + " left in the outbox: " + drained.error().message());
}

asio::awaitable<dialogs::Outcome> MessageCommitter::respond(const std::string& state,
                                                            const dialogs::StudentState* parsed,
                                                            const dialogs::Inbound& input,
                                                            const wechat::InboundMessage& message,
                                                            const std::string& dedupe) {
  // On the release the student is on (a publish never moves a student
  // mid-walkthrough unless its migration says so).
  dialogs::Outcome outcome;
  std::optional<std::string> failure;
  try {
    outcome = co_await dialogs_.respond(state, parsed, input, schedule_.clock());
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "not a std::exception";
  }
  // The engine should never throw. If it does, the student's progress is
  // kept as it was, never wiped: they get an apology, the message is
  // committed (a retry gets the same), and operators see it.
  if (failure) outcome = dialogs_.keep(state, input, "failed");
  if (!outcome.kept.empty()) {
    metrics_.count_state_kept(outcome.kept);
    util::log("error", "kept the state of " + message.from_user + " (" + outcome.kept + ") at " + dedupe +
                           (failure ? ": " + *failure : std::string()));
  }
  co_return outcome;
}

asio::awaitable<boost::system::result<Processed>> MessageCommitter::commit(const wechat::InboundMessage& message) {
  co_return *co_await run(message, false);
}

asio::awaitable<std::optional<boost::system::result<Processed>>> MessageCommitter::commit_once(
    const wechat::InboundMessage& message) {
  return run(message, true);
}

asio::awaitable<std::optional<boost::system::result<Processed>>> MessageCommitter::run(
    const wechat::InboundMessage& message, bool once) {
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
    dialogs::Outcome outcome = co_await respond(current.state, current.parsed.get(), input, message, dedupe);
    std::string reply = join_replies(std::move(outcome.replies));
    std::string new_state = outcome.state;
    std::vector<std::string> outbox = EffectOutbox::serialise(outcome.effects, dedupe);
    if (!outbox.empty()) {
      // The effects leave the student's slot after the commit (the drain).
      // Should this instance die in between, a sweep finds them through the
      // student's entry, written first.
      const SweepSchedule::Times times = schedule_.times();
      auto expected = co_await store_.expect_sweep(message.from_user, times.now_ms, times.look_at_ms);
      if (!expected) co_return expected.error();
    }
    auto committed = co_await store_.commit(message.from_user, dedupe, current.version, std::move(outcome.state),
                                            reply, std::move(outbox), current.recent ? &*current.recent : nullptr);
    if (!committed) {
      // Committed or not, nobody knows: read Redis next time.
      cache_.forget(message.from_user);
      co_return committed.error();
    }
    switch (committed->status) {
      case CommitResult::Status::committed: {
        if (observer_)
          observer_(CommittedTurn{message.from_user, current.state, new_state, outcome.effects,
                                  schedule_.now_seconds()});
        // The ring as this commit left it: this message in the new
        // version's slot.
        if (current.recent) (*current.recent)[ring_slot(committed->version)] = dedupe;
        cache_.remember(message.from_user,
                        Conversation{committed->version, std::move(new_state), std::move(outcome.parsed),
                                     std::move(current.recent)},
                        dedupe, reply);
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
        if (once) co_return std::nullopt;
        break;
    }
  }
  co_return make_error_code(boost::system::errc::resource_unavailable_try_again);
}

}  // namespace permit::core
