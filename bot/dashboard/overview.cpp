#include "bot/dashboard/overview.hpp"

#include "bot/redis/keys.hpp"
#include "bot/dashboard/tally.hpp"
#include "bot/redis/exec_all.hpp"
#include "bot/redis/stream_entries.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace permit::dashboard {
namespace asio = boost::asio;

namespace {
constexpr int kDays = 30;
constexpr int kActiveDays = 7;
constexpr int kWithin[] = {7, 14, 30};
}  // namespace

asio::awaitable<boost::system::result<std::string>> overview_json(redis::Client& redis,
                                                                  std::vector<std::string> universities,
                                                                  std::int64_t now_unix) {
  std::vector<std::string> dates;
  for (int i = kDays - 1; i >= 0; --i) dates.push_back(Tally::china_date(now_unix - std::int64_t{i} * 86400));
  const std::string today = dates.back();
  const std::int64_t today_day = Tally::epoch_day(today);

  std::vector<std::vector<std::string>> reads;
  for (const auto& d : dates) reads.push_back({"HGETALL", keys::day(d)});
  for (const auto& u : universities) {
    reads.push_back({"PFCOUNT", keys::active(u, today)});
    std::vector<std::string> week{"PFCOUNT"};
    for (int i = kDays - kActiveDays; i < kDays; ++i) week.push_back(keys::active(u, dates[i]));
    reads.push_back(std::move(week));
    reads.push_back({"HGETALL", keys::funnel(u)});
    for (int within : kWithin)
      reads.push_back({"ZCOUNT", keys::deadlines(u), std::to_string(today_day), std::to_string(today_day + within)});
  }
  auto results = co_await redis::exec_all(redis, std::move(reads));
  for (const auto& r : results)
    if (auto ok = redis::succeeded(r); !ok) co_return ok.error();

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto number = [](const std::string& s) { return redis::to_int(s).value_or(0); };
  w.StartObject();
  w.Key("today");
  w.String(today.c_str());
  w.Key("days");
  w.StartArray();
  std::size_t at = 0;
  for (const auto& d : dates) {
    redis::StreamFields f;
    redis::add_fields(*results[at++], f);
    w.StartObject();
    w.Key("date");
    w.String(d.c_str());
    w.Key("messages");
    w.Int64(number(f["messages"]));
    w.Key("unanswered");
    w.Int64(number(f["unanswered"]));
    w.Key("hours");
    w.StartArray();
    for (int h = 0; h < 24; ++h) w.Int64(number(f[keys::hour_field(h)]));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("universities");
  w.StartArray();
  for (const auto& u : universities) {
    w.StartObject();
    w.Key("id");
    w.String(u.c_str());
    w.Key("active_today");
    w.Int64(results[at++]->integer);
    w.Key("active_7d");
    w.Int64(results[at++]->integer);
    redis::StreamFields funnel;
    redis::add_fields(*results[at++], funnel);
    w.Key("funnel");
    w.StartObject();
    for (const auto& [node, n] : funnel) {
      if (number(n) <= 0) continue;  // drift below zero is shown as nobody
      w.Key(node.c_str());
      w.Int64(number(n));
    }
    w.EndObject();
    w.Key("deadlines");
    w.StartObject();
    for (int within : kWithin) {
      w.Key(("d" + std::to_string(within)).c_str());
      w.Int64(results[at++]->integer);
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  co_return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace permit::dashboard
