#include "handlers/query_params.hpp"

#include <boost/url/parse.hpp>
// Boost.URL is used header-only: this one file compiles its sources.
#include <boost/url/src.hpp>

namespace permit::handlers {

QueryParams QueryParams::parse(std::string_view target) {
  QueryParams params;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return params;  // an unparsable target has no usable parameters
  for (auto param : url->params()) {
    if (!param.has_value) continue;
    params.values_.try_emplace(param.key, param.value);
  }
  return params;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

}  // namespace permit::handlers
