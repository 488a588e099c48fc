#include "bot/outbound/stream_sender.hpp"

#include "bot/staff/broadcasts.hpp"
#include "bot/redis/survivable.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/lua_script.hpp"
#include "bot/redis/stream_entries.hpp"
#include "bot/util/clock.hpp"
#include "bot/util/concurrently.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/json.hpp"
#include "bot/util/log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace permit::outbound {
namespace asio = boost::asio;
using Fields = redis::StreamFields;

namespace {

std::string get(const Fields& f, const char* name) {
  auto it = f.find(name);
  return it == f.end() ? std::string() : it->second;
}

// KEYS: the entry's outcome marker, the stream, the stream's failure
// counts, the student's blocker key, the entry's in-flight mark; for a
// broadcast's entry also its hash, reasons and failed recipients (all under
// the stream's hash tag). ARGV: group, entry id, counter, marker value,
// marker TTL (s), reason, openid, dedupe key. The outcome is counted only
// when the marker is new, so a redelivered entry is never counted twice; the
// student's later entries stop waiting if they waited behind this one.
const redis::LuaScript kFinish(R"lua(
if ARGV[3] ~= '' and redis.call('SET', KEYS[1], ARGV[4], 'NX', 'EX', ARGV[5]) and #KEYS >= 8 then
  redis.call('HINCRBY', KEYS[6], ARGV[3], 1)
  if ARGV[6] ~= '' then redis.call('HINCRBY', KEYS[7], ARGV[6], 1) end
  if ARGV[3] == 'failed' then redis.call('HSET', KEYS[8], ARGV[7], ARGV[6]) end
end
redis.call('HDEL', KEYS[3], ARGV[8])
if redis.call('GET', KEYS[4]) == ARGV[2] then redis.call('DEL', KEYS[4]) end
redis.call('DEL', KEYS[5])
redis.call('XACK', KEYS[2], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
return 1
)lua");

// Records an entry in {outbound}:skipped or :dead. Survivable: the entry's
// outcome is counted by the finish script and the failure logged anyway.
asio::awaitable<void> record(redis::Client& redis, std::vector<std::string> command) {
  redis::survivable(co_await redis.exec(std::move(command)), "outbound record");
}

// The stream's hash tag, so that its markers and counts share its slot.
std::string hash_tag(const std::string& stream) {
  const auto close = stream.find('}');
  return stream.starts_with("{") && close != std::string::npos ? stream.substr(0, close + 1) : "{outbound}";
}

// The next midnight in China (UTC+8), when the platform's daily quota resets.
std::int64_t next_china_midnight_unix() {
  return (util::china_day(util::unix_now()) + 1) * 86400 - util::kChinaUtcOffset;
}

}  // namespace

StreamSender::StreamSender(asio::any_io_executor executor, redis::Client& redis, WechatApi& api, SenderOptions options)
    : executor_(executor),
      redis_(redis),
      api_(api),
      options_(std::move(options)),
      replicas_(redis, options_.min_replica_acks, options_.replica_wait),
      wake_(executor),
      task_(executor) {}

void StreamSender::start() { task_.spawn(run()); }

asio::awaitable<void> StreamSender::stop() {
  stopping_ = true;
  co_await task_.join();
}

asio::awaitable<void> StreamSender::sleep(std::chrono::milliseconds d) {
  asio::steady_timer pause(executor_, d);
  co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
}

asio::awaitable<bool> StreamSender::paused() {
  // The key expires when the pause ends (EXAT, on the Redis clock).
  std::vector<std::string> check{"EXISTS", kPausedUntil};
  auto paused = co_await redis_.exec(std::move(check));
  co_return paused && paused->integer == 1;
}

std::string StreamSender::marker_key(const std::string& stream, const std::string& dedupe) {
  return keys::sent_marker(hash_tag(stream), dedupe);
}

std::string StreamSender::failures_key(const std::string& stream) { return keys::stream_failures(hash_tag(stream)); }

std::string StreamSender::in_flight_key(const std::string& stream, const std::string& dedupe) {
  return keys::send_in_flight(hash_tag(stream), dedupe);
}

std::string StreamSender::blocker_key(const std::string& stream, const std::string& openid) {
  return keys::stream_blocker(hash_tag(stream), openid);
}

asio::awaitable<void> StreamSender::run() {
  auto next_claim = std::chrono::steady_clock::now();
  auto next_pause_check = next_claim;
  bool group_ready = false;
  while (!stopping_) {
    if (!group_ready) {
      // "0": a first start also delivers what was queued before any sender
      // ran. Retried until Redis answers; BUSYGROUP means it exists.
      std::vector<std::string> create{"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"};
      auto created = co_await redis_.exec(std::move(create));
      group_ready = created && (!created->is_error() || created->str.starts_with("BUSYGROUP"));
      if (!group_ready) co_await sleep(std::chrono::milliseconds(200));
      continue;
    }
    // The daily-quota pause, looked at once a second rather than per entry.
    if (std::chrono::steady_clock::now() >= next_pause_check) {
      next_pause_check = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      if (co_await paused()) {
        co_await sleep(std::chrono::seconds(1));
        continue;
      }
    }
    // At most `batch` entries held at once: a free place is filled as soon
    // as an entry ends, so the rate's schedule never waits for a batch.
    const int room = options_.batch - in_hand_;
    if (room <= 0) {
      co_await wait_for_room(std::chrono::milliseconds(100));
      continue;
    }
    std::vector<Entry> batch;
    if (std::chrono::steady_clock::now() >= next_claim) {
      // Entries a consumer took and never acknowledged (it died, or they
      // wait for a retry) move to this one. The scan goes on from its cursor
      // as soon as there is room, and rests claim_idle / 3 only once it has
      // gone through the whole list: at `room` entries per rest (one, at a
      // low rate) a dead instance's hundred entries would take many minutes.
      next_claim = std::chrono::steady_clock::now() + options_.claim_idle / 3;
      std::vector<std::string> claim{"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
                                     std::to_string(options_.claim_idle.count()), claim_cursor_, "COUNT",
                                     std::to_string(room)};
      auto claimed = co_await redis_.exec(std::move(claim));
      if (claimed && claimed->is_array() && claimed->elements.size() >= 2) {
        batch = redis::stream_entries(claimed->elements[1]);
        claim_cursor_ = claimed->elements[0].str.empty() ? "0-0" : claimed->elements[0].str;
        if (claim_cursor_ != "0-0") next_claim = std::chrono::steady_clock::now();
      } else {
        claim_cursor_ = "0-0";
      }
    }
    if (batch.empty()) {
      // A blocking read holds the connection, and with it the commands of
      // the entries in hand: block only when there are none.
      std::vector<std::string> read{"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT",
                                    std::to_string(room)};
      if (in_hand_ == 0) read.insert(read.end(), {"BLOCK", std::to_string(options_.block.count())});
      read.insert(read.end(), {"STREAMS", options_.stream, ">"});
      auto got = co_await redis_.exec(std::move(read));
      if (!got || got->is_error()) {
        // Redis is down (the client reconnects), or the stream and its group
        // were deleted: create the group again.
        if (got && got->str.starts_with("NOGROUP")) group_ready = false;
        co_await sleep(std::chrono::milliseconds(200));
        continue;
      }
      if (got->is_array() && !got->elements.empty() && got->elements[0].is_array() &&
          got->elements[0].elements.size() == 2)
        batch = redis::stream_entries(got->elements[0].elements[1]);
    }
    if (batch.empty() && in_hand_ > 0) co_await wait_for_room(std::chrono::milliseconds(100));
    // One task per student: different students' entries go out together,
    // one student's in the order they were queued.
    for (auto& entry : batch) {
      ++in_hand_;
      std::string openid = get(entry.second, "openid");
      auto& queue = students_[openid];
      queue.push_back(std::move(entry));
      if (queue.size() == 1)
        asio::co_spawn(executor_, serve_student(std::move(openid)), [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    }
  }
  // Stopping: the entries in hand end (those not started stay pending).
  while (in_hand_ > 0) co_await wait_for_room(std::chrono::milliseconds(100));
}

asio::awaitable<void> StreamSender::serve_student(std::string openid) {
  // std::map: the queue stays where it is while others come and go.
  auto& queue = students_[openid];
  bool in_order = true;
  while (!queue.empty()) {
    // An entry left pending (to retry) holds back the student's later ones,
    // those in hand here and (through the blocker key) those any instance
    // reads later: they stay pending too, and come back after it.
    if (!stopping_ && in_order) in_order = co_await handle(queue.front().first, queue.front().second) == Handled::ended;
    queue.pop_front();
    --in_hand_;
    woken_ = true;
    wake_.cancel();
  }
  students_.erase(openid);
}

std::vector<std::string> StreamSender::hold_command(const std::string& id, const Fields& fields) const {
  // Until the entry ends (the finish script deletes the key), or, should
  // every instance be gone, a while after its retry was due.
  return {"SET", blocker_key(options_.stream, get(fields, "openid")), id, "PX",
          std::to_string(2 * options_.claim_idle.count() + 1000)};
}

asio::awaitable<StreamSender::Handled> StreamSender::left_pending(const std::string& id, const Fields& fields) {
  auto hold = hold_command(id, fields);  // named: see GCC 12 and co_await temporaries
  // Survivable: without the blocker another instance may send the student's
  // next entry before this one's retry (the order, not the delivery, is lost).
  redis::survivable(co_await redis_.exec(std::move(hold)), "blocker of " + id);
  co_await release_mark(fields);
  co_return Handled::pending;
}

asio::awaitable<void> StreamSender::release_mark(const Fields& fields) {
  // Nothing went out: whoever retries need not wait for the mark to expire.
  // Only this consumer's own mark: another's may be on it (it is sending
  // the entry, and this one gave way). Survivable: a mark left expires.
  std::vector<std::string> keys{in_flight_key(options_.stream, get(fields, "dedupe"))}, args{options_.consumer};
  redis::survivable(co_await redis_.eval(redis::delete_if_equal(), std::move(keys), std::move(args)),
                    "in-flight mark of " + get(fields, "dedupe"));
}

asio::awaitable<StreamSender::Claim> StreamSender::claim_send(const Fields& fields) {
  const auto ticket = replicas_.ticket();
  // Ours when new, or renewed when this consumer made it on an earlier
  // attempt that did not end.
  std::vector<std::string> keys{in_flight_key(options_.stream, get(fields, "dedupe"))},
      args{options_.consumer, std::to_string(options_.claim_idle.count())};
  auto holder = co_await redis_.eval(redis::take_lease(), std::move(keys), std::move(args));
  if (!holder || holder->is_error()) co_return Claim::failed;
  if (holder->str != options_.consumer) co_return Claim::theirs;
  // A mark only the old primary knew would not stop another consumer after
  // a failover. (At once when no replica is required.)
  auto confirmed = co_await replicas_.confirm(ticket);
  co_return confirmed ? Claim::ours : Claim::failed;
}

asio::awaitable<void> StreamSender::wait_for_room(std::chrono::milliseconds at_most) {
  if (!woken_) {
    wake_.expires_after(at_most);
    co_await wake_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  woken_ = false;
}

asio::awaitable<StreamSender::Handled> StreamSender::handle(const std::string& id, const Fields& fields) {
  const std::string dedupe = get(fields, "dedupe");
  const std::string broadcast = get(fields, "broadcast");
  // Whether it already ended, whether an earlier entry of the student waits
  // for a retry and, for a broadcast, its status and text (the text lives
  // once in the broadcast, not in each entry): one round trip.
  std::vector<std::vector<std::string>> reads{{"EXISTS", marker_key(options_.stream, dedupe)},
                                              {"GET", blocker_key(options_.stream, get(fields, "openid"))}};
  if (!broadcast.empty())
    reads.push_back({"HMGET", core::Broadcasts::key(broadcast), "status",
                     get(fields, "lang") == "zh" ? "text_zh" : "text_en"});
  auto read = co_await redis::exec_all(redis_, std::move(reads));
  const auto& ended = read[0];
  const auto& held = read[1];
  if (!ended || !held) co_return co_await left_pending(id, fields);  // reclaimed later
  if (ended->integer == 1) {  // a redelivery of something that ended
    co_await finish(id, fields, "", "", {});
    co_return Handled::ended;
  }
  if (held->type == redis::Value::Type::string && !held->str.empty() && held->str != id) co_return Handled::pending;  // held back
  std::string content = get(fields, "content");
  if (!broadcast.empty()) {
    const auto& row = read[2];
    if (!row || !row->is_array() || row->elements.size() != 2) co_return co_await left_pending(id, fields);
    if (row->elements[0].str == "cancelled") {
      co_await finish(id, fields, "cancelled", "cancelled", {});
      co_return Handled::ended;
    }
    if (content.empty()) content = row->elements[1].str;
  }
  switch (co_await claim_send(fields)) {
    case Claim::ours:
      break;
    case Claim::theirs:
      co_return Handled::pending;  // its sender ends it; or, should it have died, its mark expires
    case Claim::failed:
      co_return co_await left_pending(id, fields);
  }

  auto outcome = co_await deliver(fields, content);
  switch (outcome.kind) {
    case Outcome::Kind::sent:
      co_await finish(id, fields, "sent", outcome.detail.c_str(), {});
      co_return Handled::ended;
    case Outcome::Kind::skipped: {
      std::vector<std::string> skip{"XADD", kSkipped, "MAXLEN", "~", "100000", "*", "stream", options_.stream,
                                    "openid", get(fields, "openid"), "dedupe", dedupe, "reason", outcome.detail};
      co_await record_and_finish(std::move(skip), id, fields, "skipped", outcome.detail);
      co_return Handled::ended;
    }
    case Outcome::Kind::retry_later:
      co_return co_await left_pending(id, fields);  // XAUTOCLAIM brings it back
    case Outcome::Kind::permanent:
    case Outcome::Kind::failed:
      break;
  }
  const bool dead = co_await fail(id, fields, outcome.detail, outcome.kind == Outcome::Kind::permanent);
  co_return dead ? Handled::ended : Handled::pending;
}

asio::awaitable<bool> StreamSender::fail(const std::string& id, const Fields& fields, const std::string& reason,
                                         bool permanent) {
  const std::string dedupe = get(fields, "dedupe");
  std::string why = reason;
  if (!permanent) {
    // Counted and held in one round trip: if this was the last attempt, the
    // finish below lets go of the hold.
    std::vector<std::vector<std::string>> commands{{"HINCRBY", failures_key(options_.stream), dedupe, "1"},
                                                   hold_command(id, fields)};
    auto done = co_await redis::exec_all(redis_, std::move(commands));
    co_await release_mark(fields);
    const auto& failures = done[0];
    if (!failures || failures->integer < options_.max_attempts) co_return false;  // pending; retried when reclaimed
    why += " (failed " + std::to_string(options_.max_attempts) + " times)";
  }
  std::vector<std::string> dead{"XADD", kDead, "MAXLEN", "~", "100000", "*", "stream", options_.stream,
                                "openid", get(fields, "openid"), "dedupe", dedupe, "reason", why,
                                "content", get(fields, "content")};
  util::log("error", "outbound " + dedupe + ": " + why + "; moved to " + kDead);
  co_await record_and_finish(std::move(dead), id, fields, "failed", why);
  co_return true;
}

asio::awaitable<void> StreamSender::record_and_finish(std::vector<std::string> record, const std::string& id,
                                                      const Fields& fields, const char* outcome,
                                                      const std::string& reason) {
  // Both on one round trip, the record first (they are in different slots,
  // so not one script).
  std::vector<asio::awaitable<void>> both;
  both.push_back(permit::outbound::record(redis_, std::move(record)));
  both.push_back(finish(id, fields, outcome, outcome, reason));
  co_await util::run_concurrently(std::move(both));
}

asio::awaitable<void> StreamSender::finish(const std::string& id, const Fields& fields, const char* counter,
                                           const char* marker, std::string_view reason) {
  const std::string dedupe = get(fields, "dedupe");
  std::vector<std::string> keys{marker_key(options_.stream, dedupe), options_.stream, failures_key(options_.stream),
                                blocker_key(options_.stream, get(fields, "openid")),
                                in_flight_key(options_.stream, dedupe)};
  if (const std::string broadcast = get(fields, "broadcast"); !broadcast.empty()) {
    keys.insert(keys.end(), {keys::broadcast(broadcast), keys::broadcast_reasons(broadcast),
                             keys::broadcast_failed(broadcast)});
  }
  std::vector<std::string> args{options_.group, id,       counter, marker, "604800", std::string(reason),
                                get(fields, "openid"), dedupe};
  // Redis may be failing over: the outcome is kept here and written again
  // until it lands, while the in-flight mark (claim_idle) keeps every other
  // consumer from sending the entry. After claim_idle / 2 (or three tries
  // once stopping) it is given up: the entry stays pending and is reclaimed,
  // and one already sent is sent again (the window stream_sender.hpp
  // describes), so say so.
  //
  // With replicas required, the outcome counts as written only once a
  // replica has it: a marker only the old primary knew would let the entry
  // be sent again from the new one once its in-flight mark lapsed. The
  // script is idempotent, so running it again after a WAIT that failed is
  // safe.
  const auto give_up = std::chrono::steady_clock::now() + options_.claim_idle / 2;
  auto pause = std::chrono::milliseconds(100);
  for (int attempt = 1;; ++attempt) {
    const auto ticket = replicas_.ticket();
    auto finished = co_await redis_.eval(kFinish, keys, args);
    if (finished && !finished->is_error()) {
      auto confirmed = co_await replicas_.confirm(ticket);
      if (confirmed) co_return;
    }
    if (std::chrono::steady_clock::now() + pause >= give_up || (stopping_ && attempt >= 3)) break;
    if (attempt == 1) util::log("warn", "outbound " + dedupe + ": its outcome (" + marker + ") not recorded yet; retrying");
    co_await sleep(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
  util::log("error", "outbound " + dedupe + ": its outcome (" + marker + ") was not recorded; it will be retried");
}

asio::awaitable<StreamSender::Outcome> StreamSender::deliver(const Fields& fields, const std::string& content) {
  const std::string openid = get(fields, "openid");
  const std::string dedupe = get(fields, "dedupe");
  // Redis failed before anything was sent (the rate limit, the token): not
  // the recipient's fault, so not an attempt; the entry is retried.
  auto not_sent = [](const boost::system::error_code& ec) { return ec.category() == redis::error_category(); };
  // The student has not written for 48 hours: only the template reaches them.
  bool via_template = get(fields, "window") == "closed" && !options_.template_id.empty();
  boost::system::result<SendOutcome> answer = SendOutcome{};
  if (!via_template) {
    std::string to = openid, text = content;
    answer = co_await api_.send_text(std::move(to), std::move(text));
    if (!answer && not_sent(answer.error())) co_return Outcome{Outcome::Kind::retry_later, ""};
    if (!answer) co_return Outcome{Outcome::Kind::failed, "no answer: " + answer.error().message()};
    // Outside the window after all, or its count used up: only the
    // template reaches the student now.
    if ((answer->errcode == 45015 || answer->errcode == 45047) && !options_.template_id.empty()) via_template = true;
  }
  if (via_template) {
    // The same key on every attempt: the platform sends it once.
    std::string to = openid, template_id = options_.template_id;
    std::string data = util::write_json([&](util::JsonWriter& w) {
      w.StartObject();
      w.Key("content");
      w.StartObject();
      w.Key("value");
      w.String(content);
      w.EndObject();
      w.EndObject();
    });
    std::string client_msg_id = util::sha1_hex(dedupe);
    answer = co_await api_.send_template(std::move(to), std::move(template_id), std::move(data), std::move(client_msg_id));
    if (!answer && not_sent(answer.error())) co_return Outcome{Outcome::Kind::retry_later, ""};
    if (!answer) co_return Outcome{Outcome::Kind::failed, "no answer: " + answer.error().message()};
  }
  const std::string via = via_template ? "template" : "custom";
  const int code = answer->errcode;
  switch (code) {
    case 0:
      co_return Outcome{Outcome::Kind::sent, via};
    case 45015:
      co_return Outcome{Outcome::Kind::skipped, "45015 outside the 48-hour window, no template configured"};
    case 45047:
      co_return Outcome{Outcome::Kind::skipped,
                        "45047 the 48-hour window's message count is used up, no template configured"};
    case 43004:
      co_return Outcome{Outcome::Kind::skipped, "43004 not subscribed"};
    case 45011:
      co_await sleep(std::chrono::seconds(2));
      co_return Outcome{Outcome::Kind::retry_later, ""};
    case 45009: {
      const auto until = next_china_midnight_unix();
      std::vector<std::string> pause{"SET", kPausedUntil, std::to_string(until), "EXAT", std::to_string(until)};
      // Survivable: without the shared pause every instance finds the quota
      // used up for itself.
      redis::survivable(co_await redis_.exec(std::move(pause)), "sending pause");
      util::log("error", "daily API quota used (45009): sending paused until " + std::to_string(until) + " (unix)");
      co_return Outcome{Outcome::Kind::retry_later, ""};
    }
    default: {
      std::string reason = std::to_string(code) + " " + answer->errmsg;
      util::log("warn", "outbound " + dedupe + ": errcode " + reason);
      co_return Outcome{is_permanent_error(code) ? Outcome::Kind::permanent : Outcome::Kind::failed, reason};
    }
  }
}

}  // namespace permit::outbound
