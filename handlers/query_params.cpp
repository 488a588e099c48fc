#include "handlers/query_params.hpp"

#include <boost/url/parse.hpp>
// Boost.URL is used header-only: this one file compiles its sources.
#include <boost/url/src.hpp>

#include <algorithm>

namespace permit::handlers {
namespace {

// Whether a key or value has anything to decode. A loop, not
// find_first_of("%+"): that calls memchr once per character, and was most
// of what get() cost on a webhook request.
bool has_escapes(std::string_view encoded) {
  return std::any_of(encoded.begin(), encoded.end(), [](char c) { return c == '%' || c == '+'; });
}

// As a form encodes it: percent-escapes and '+' for a space.
std::string decoded(std::string_view encoded) {
  // The platform's parameters are digits and hex: most have nothing to
  // decode, and validating them again costs more than the copy.
  if (!has_escapes(encoded)) return std::string(encoded);
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  // Every Span comes from a parsed target, so its escapes are valid.
  return boost::urls::make_pct_string_view(encoded)->decode(opts);
}

}  // namespace

QueryParams QueryParams::parse(std::string_view target) {
  QueryParams params;
  auto url = boost::urls::parse_origin_form(target);
  if (!url) return params;  // an unparsable target has no usable parameters
  params.target_ = std::string(target);
  auto span = [&](std::string_view part) {
    return Span{static_cast<std::size_t>(part.data() - target.data()), part.size()};
  };
  for (auto param : url->encoded_params()) {
    if (!param.has_value) continue;
    params.params_.push_back({span(param.key), span(param.value)});
  }
  return params;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  for (const auto& p : params_) {
    const std::string_view key = text(p.key);
    if (has_escapes(key) ? decoded(key) == name : key == name) return decoded(text(p.value));
  }
  return std::nullopt;
}

}  // namespace permit::handlers
