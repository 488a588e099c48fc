#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/error.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace permit::json {

// How deep JSON from outside may nest. The deepest we read legitimately is
// a university script (9 levels); a request or an answer of the platform
// has 2 or 3.
inline constexpr unsigned kMaxDepth = 64;

// Whether a parse succeeded, and if not where and why.
class [[nodiscard]] ParseOutcome {
 public:
  ParseOutcome() = default;
  // `depth_limit`: the limit passed, when that is what failed; else 0.
  ParseOutcome(rapidjson::ParseErrorCode code, std::size_t offset, unsigned depth_limit)
      : code_(code), offset_(offset), depth_limit_(depth_limit) {}

  explicit operator bool() const { return code_ == rapidjson::kParseErrorNone; }
  rapidjson::ParseErrorCode code() const { return code_; }
  // Byte offset of the error in the text.
  std::size_t offset() const { return offset_; }
  bool too_deep() const { return depth_limit_ > 0; }
  // One line, in English ("Invalid value.", "nested more than 64 levels deep").
  std::string message() const;

 private:
  rapidjson::ParseErrorCode code_ = rapidjson::kParseErrorNone;
  std::size_t offset_ = 0;
  unsigned depth_limit_ = 0;
};

// Parses all of `text` (no terminator needed; a NUL byte is an error, not
// the end) into `doc`, which is left null on failure.
//
// Iterative, so the parse itself uses no stack per level; and bounded to
// `max_depth` levels, because everything that walks a document afterwards
// (the schema validator, CopyFrom, Accept/writing) recurses once per level:
// 140 KB of "[" would overflow the stack there instead.
//
// Every parse of JSON from outside goes through here.
[[nodiscard]] ParseOutcome parse(rapidjson::Document& doc, std::string_view text, unsigned max_depth = kMaxDepth);

}  // namespace permit::json
