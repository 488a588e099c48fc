#include "bot/dashboard/broadcast_list.hpp"

#include "bot/redis/exec_all.hpp"
#include "bot/redis/keys.hpp"
#include "bot/staff/broadcasts.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

namespace permit::dashboard {
namespace asio = boost::asio;

namespace {
constexpr std::array<const char*, 13> kFields{"status",  "author", "created_at", "send_at", "audience",
                                              "audience_size", "queued", "sent", "skipped", "failed",
                                              "cancelled", "text_en", "text_zh"};
}

asio::awaitable<boost::system::result<std::string>> recent_broadcasts_json(redis::Client& redis, int limit) {
  // Named first: GCC 12 miscompiles string literals in a braced list inside co_await.
  std::vector<std::string> get{"GET", permit::keys::kBroadcastSeq};
  auto seq = co_await redis.exec(std::move(get));
  if (auto ok = redis::succeeded(seq); !ok) co_return ok.error();
  const std::int64_t last = redis::to_int(*seq).value_or(0);
  std::vector<std::vector<std::string>> reads;
  std::vector<std::string> ids;
  for (std::int64_t id = last; id > 0 && id > last - limit; --id) {
    ids.push_back(std::to_string(id));
    std::vector<std::string> read{"HMGET", core::Broadcasts::key(ids.back())};
    read.insert(read.end(), kFields.begin(), kFields.end());
    reads.push_back(std::move(read));
  }
  auto hashes = co_await redis::exec_all(redis, std::move(reads));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("broadcasts");
  w.StartArray();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (auto ok = redis::succeeded(hashes[i]); !ok) co_return ok.error();
    const auto& values = hashes[i]->elements;
    if (values.size() != kFields.size() || values[0].is_nil()) continue;  // never stored, or expired
    w.StartObject();
    w.Key("id");
    w.String(ids[i].c_str());
    for (std::size_t f = 0; f < kFields.size(); ++f) {
      w.Key(kFields[f]);
      w.String(values[f].str.c_str(), static_cast<rapidjson::SizeType>(values[f].str.size()));
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  co_return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace permit::dashboard
