#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace permit::handlers {

// The decoded query parameters of a request target. A parameter given twice
// keeps its first value. Parsed on every webhook request, so it keeps the
// target once and decodes a value only when it is asked for.
class QueryParams {
 public:
  static QueryParams parse(std::string_view target);

  std::optional<std::string> get(std::string_view name) const;
  std::string get_or_empty(std::string_view name) const { return get(name).value_or(std::string()); }

 private:
  struct Span {
    std::size_t at = 0, size = 0;
  };
  struct Param {
    Span key, value;  // still percent-encoded, in target_
    // Whether each has escapes to decode, found once by parse: get() is
    // asked for five names on every webhook request, and testing every key
    // it passes again cost more than the parse.
    bool key_escaped = false, value_escaped = false;
  };
  std::string_view text(Span s) const { return std::string_view(target_).substr(s.at, s.size); }

  std::string target_;
  std::vector<Param> params_;
};

}  // namespace permit::handlers
