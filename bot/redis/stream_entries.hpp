#pragma once

#include "bot/redis/redis_value.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace permit::redis {

using StreamFields = std::map<std::string, std::string>;

// The entries of an XRANGE, XREADGROUP or XAUTOCLAIM list:
// [[id, [field, value, ...]], ...]. Entries deleted meanwhile (no field
// list) are left out.
inline std::vector<std::pair<std::string, StreamFields>> stream_entries(const Value& list) {
  std::vector<std::pair<std::string, StreamFields>> out;
  if (!list.is_array()) return out;
  for (const auto& e : list.elements) {
    if (!e.is_array() || e.elements.size() != 2 || !e.elements[1].is_array()) continue;
    StreamFields fields;
    const auto& kv = e.elements[1].elements;
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2) fields[kv[i].str] = kv[i + 1].str;
    out.emplace_back(e.elements[0].str, std::move(fields));
  }
  return out;
}

}  // namespace permit::redis
