#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace permit::handlers {

// The decoded query parameters of a request target. A parameter given twice
// keeps its first value.
class QueryParams {
 public:
  static QueryParams parse(std::string_view target);

  std::optional<std::string> get(std::string_view name) const;
  std::string get_or_empty(std::string_view name) const { return get(name).value_or(std::string()); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace permit::handlers
