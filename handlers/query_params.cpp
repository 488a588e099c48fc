#include "handlers/query_params.hpp"

#include <boost/url/pct_string_view.hpp>
// Boost.URL is used header-only: this one file compiles its sources.
#include <boost/url/src.hpp>

#include <algorithm>
#include <array>

namespace permit::handlers {
namespace {

// Whether a key or value has anything to decode. Two searches for one
// character, not find_first_of("%+"): that calls memchr once per character
// of `encoded`.
bool has_escapes(std::string_view encoded) {
  return encoded.find('%') != std::string_view::npos || encoded.find('+') != std::string_view::npos;
}

// As a form encodes it: percent-escapes and '+' for a space. The
// platform's parameters are digits and hex: most have nothing to decode,
// and are copied as they are.
std::string decoded(std::string_view encoded, bool escaped) {
  if (!escaped) return std::string(encoded);
  boost::urls::encoding_opts opts;
  opts.space_as_plus = true;
  // Every Span comes from a parsed target, so its escapes are valid.
  return boost::urls::make_pct_string_view(encoded)->decode(opts);
}

// pchar, '/' and '?', as a table: a test per character of the target.
constexpr std::array<bool, 256> kTargetChars = [] {
  std::array<bool, 256> chars{};
  for (const unsigned char c : std::string_view("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                "-._~"            // unreserved
                                                "!$&'()*+,;="     // sub-delims
                                                ":@" "/?"))
    chars[c] = true;
  return chars;
}();

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// RFC 3986's origin-form, as Boost.URL's parse_origin_form takes it: a
// '/', then path and query characters (pchar, '/', '?'; the first '?'
// starts the query) and valid percent-escapes, nothing else. Checked by
// hand: the parse built a url_view and its parameter ranges, about 3,000
// instructions of every webhook request, for three spans.
bool is_origin_form(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  for (std::size_t i = 1; i < target.size(); ++i) {
    const char c = target[i];
    if (c == '%') {
      if (target.size() - i < 3 || !is_hex(target[i + 1]) || !is_hex(target[i + 2])) return false;
      i += 2;
    } else if (!kTargetChars[static_cast<unsigned char>(c)]) {
      return false;
    }
  }
  return true;
}

}  // namespace

QueryParams QueryParams::parse(std::string_view target) {
  QueryParams params;
  if (!is_origin_form(target)) return params;  // an unparsable target has no usable parameters
  params.target_ = std::string(target);
  params.params_.reserve(4);  // the platform sends three or four
  const std::size_t question = target.find('?');
  if (question == std::string_view::npos) return params;
  // The platform's queries have no escapes at all: then no part needs a look.
  const bool escapes = has_escapes(target.substr(question));
  // Split as Boost.URL's encoded_params does: at each '&', the key up to
  // the first '='; a parameter without '=' has no value and is left out.
  for (std::size_t at = question + 1; at <= target.size();) {
    const std::size_t end = std::min(target.find('&', at), target.size());
    const std::size_t equals = target.substr(at, end - at).find('=');
    if (equals != std::string_view::npos) {
      const Span key{at, equals}, value{at + equals + 1, end - at - equals - 1};
      params.params_.push_back(
          {key, value, escapes && has_escapes(params.text(key)), escapes && has_escapes(params.text(value))});
    }
    at = end + 1;
  }
  return params;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
  for (const auto& p : params_) {
    const std::string_view key = text(p.key);
    if (p.key_escaped ? decoded(key, true) == name : key == name) return decoded(text(p.value), p.value_escaped);
  }
  return std::nullopt;
}

}  // namespace permit::handlers
