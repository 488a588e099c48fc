#pragma once

#include "bot/redis/redis_value.hpp"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace permit::redis {

using StreamFields = std::map<std::string, std::string>;

// A flat [field, value, ...] reply (HGETALL, a stream entry's fields) into
// `out`, each name prefixed.
inline void add_fields(const Value& flat, StreamFields& out, const std::string& prefix = "") {
  if (!flat.is_array()) return;
  for (std::size_t i = 0; i + 1 < flat.elements.size(); i += 2)
    out[prefix + flat.elements[i].str] = flat.elements[i + 1].str;
}

// The entries of an XRANGE, XREADGROUP or XAUTOCLAIM list:
// [[id, [field, value, ...]], ...]. Entries deleted meanwhile (no field
// list) are left out.
inline std::vector<std::pair<std::string, StreamFields>> stream_entries(const Value& list) {
  std::vector<std::pair<std::string, StreamFields>> out;
  if (!list.is_array()) return out;
  for (const auto& e : list.elements) {
    if (!e.is_array() || e.elements.size() != 2 || !e.elements[1].is_array()) continue;
    StreamFields fields;
    add_fields(e.elements[1], fields);
    out.emplace_back(e.elements[0].str, std::move(fields));
  }
  return out;
}

}  // namespace permit::redis
