#include "bot/inbound/watched_commit.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <unordered_set>

namespace permit::core {
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Messages in one transaction, at most: a bound on the commands and the
// reply one EXEC carries.
constexpr std::size_t kMostPerTransaction = 64;

// The version of a conversation never committed (no hash, or no field).
const std::string kNoVersion = "0";

}  // namespace

WatchedCommit::WatchedCommit(asio::any_io_executor executor, redis::Client& redis)
    : strand_(asio::make_strand(executor)), redis_(redis) {}

asio::awaitable<boost::system::result<std::optional<CommitResult>>> WatchedCommit::commit(const CommitRequest& message) {
  auto initiation = [this, &message](auto handler) {
    // Resumed on its own executor, whichever thread finishes the group.
    auto executor = asio::get_associated_executor(handler);
    Done done = [h = std::move(handler), executor](error_code ec, Outcome outcome) mutable {
      asio::post(executor, [h = std::move(h), ec, outcome = std::move(outcome)]() mutable {
        std::move(h)(ec, std::move(outcome));
      });
    };
    asio::dispatch(strand_, [this, &message, done = std::move(done)]() mutable {
      waiting_.push_back({&message, std::move(done)});
      if (running_) return;
      running_ = true;
      asio::co_spawn(strand_, run(), asio::detached);
    });
  };
  auto token = asio::as_tuple(asio::use_awaitable);
  auto [ec, outcome] = co_await asio::async_initiate<decltype(token), void(error_code, Outcome)>(initiation, token);
  if (ec) co_return ec;
  if (!outcome.decided) co_return std::nullopt;
  co_return std::move(outcome.result);
}

asio::awaitable<void> WatchedCommit::run() {
  while (!waiting_.empty()) {
    // One transaction per student: a second message of a student already
    // in the group waits for the next one.
    std::vector<Waiting> group;
    std::unordered_set<std::string_view> students;
    for (auto it = waiting_.begin(); it != waiting_.end() && group.size() < kMostPerTransaction;) {
      if (students.insert(it->message->conversation).second) {
        group.push_back(std::move(*it));
        it = waiting_.erase(it);
      } else {
        ++it;
      }
    }
    co_await send(std::move(group));
  }
  running_ = false;
}

asio::awaitable<void> WatchedCommit::send(std::vector<Waiting> group) {
  auto finish = [](Waiting& w, error_code ec, Outcome outcome = {}) { std::move(w.done)(ec, std::move(outcome)); };
  // Both steps on one connection, or the second is not sent.
  const std::uint64_t serial = redis_.connection_serial();

  std::vector<std::vector<std::string>> read;
  read.reserve(group.size() + 1);
  read.push_back({"WATCH"});
  for (const auto& w : group) read.front().push_back(w.message->conversation);
  for (const auto& w : group) read.push_back({"HMGET", w.message->conversation, "v", "e", "h"});
  auto rows = co_await redis_.exec_batch(std::move(read), serial);
  if (!rows) {
    for (auto& w : group) finish(w, rows.error());
    co_return;
  }
  if (between_steps_) between_steps_();

  // Which go in the transaction, and which of EXEC's replies are theirs.
  std::vector<std::vector<std::string>> write{{"MULTI"}};
  struct Member {
    std::size_t index;        // into group
    std::size_t first, last;  // its replies among EXEC's, [first, last)
    bool pushes;              // the last two are RPUSH's and EXPIRE's
  };
  std::vector<Member> in;
  for (std::size_t i = 0; i < group.size(); ++i) {
    const CommitRequest& m = *group[i].message;
    const redis::Value& row = rows->elements[i + 1];
    if (!row.is_array() || row.elements.size() != 3) {
      finish(group[i], redis::Error::unexpected_reply);
      continue;
    }
    const std::string& version = row.elements[0].is_nil() ? kNoVersion : row.elements[0].str;
    if (version != m.expected) {
      auto stored = redis::to_int(version);
      if (!stored) finish(group[i], redis::Error::unexpected_reply);
      else finish(group[i], {}, {true, CommitResult{CommitResult::Status::conflict, {}, *stored, 0}});
      continue;
    }
    // A held message's mark: its release belongs to the function.
    if (!row.elements[2].is_nil()) {
      finish(group[i], {});
      continue;
    }
    Member member{i, write.size() - 1, 0, !m.effects.empty()};
    std::vector<std::string> hset{"HSET", m.conversation, "v", m.next, "s", m.state, "t", m.now,
                                  "d" + m.slot, m.dedupe, "r" + m.slot, m.reply};
    // The hash's expiry is renewed when the day changes (as the function).
    const bool new_day = row.elements[1].str != m.day;
    if (new_day) {
      hset.push_back("e");
      hset.push_back(m.day);
    }
    write.push_back(std::move(hset));
    if (new_day) write.push_back({"EXPIRE", m.conversation, m.ttl});
    if (member.pushes) {
      std::vector<std::string> rpush{"RPUSH", m.outbox};
      rpush.insert(rpush.end(), m.effects.begin(), m.effects.end());
      write.push_back(std::move(rpush));
      write.push_back({"EXPIRE", m.outbox, m.ttl});
    }
    member.last = write.size() - 1;
    in.push_back(member);
  }
  if (in.empty()) {
    // Nothing to write: the watch is let go, or it would stay on the
    // connection and refuse a later transaction.
    std::vector<std::vector<std::string>> unwatch(1, std::vector<std::string>(1, "UNWATCH"));
    auto unwatched = co_await redis_.exec_batch(std::move(unwatch), serial);
    (void)unwatched;  // a failure leaves at worst a transaction refused later
    co_return;
  }
  write.push_back({"EXEC"});
  auto replies = co_await redis_.exec_batch(std::move(write), serial);
  ++transactions_;
  const redis::Value* exec = replies ? &replies->elements.back() : nullptr;
  // Refused: a watched hash moved (or a command could not be queued).
  const bool refused = exec && (exec->is_nil() || exec->is_error());
  if (refused) ++refused_;
  for (const Member& member : in) {
    Waiting& w = group[member.index];
    if (!replies) {
      finish(w, replies.error());
      continue;
    }
    if (refused) {
      finish(w, {});
      continue;
    }
    if (!exec->is_array() || exec->elements.size() < member.last) {
      finish(w, redis::Error::unexpected_reply);
      continue;
    }
    const auto first = exec->elements.begin() + static_cast<std::ptrdiff_t>(member.first);
    const auto last = exec->elements.begin() + static_cast<std::ptrdiff_t>(member.last);
    if (std::any_of(first, last, [](const redis::Value& r) { return r.is_error(); })) {
      finish(w, redis::Error::unexpected_reply);
      continue;
    }
    // What RPUSH answered: the outbox's length, leftovers included.
    const std::int64_t pending = member.pushes ? (last - 2)->integer : 0;
    const std::int64_t next = redis::to_int(w.message->next).value_or(0);
    finish(w, {}, {true, CommitResult{CommitResult::Status::committed, {}, next, pending}});
  }
}

}  // namespace permit::core
