#include "json/parse.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cstdint>

namespace permit::json {
namespace {

// Hands the reader's events to the document, refusing to go deeper than
// the limit.
class DepthLimit {
 public:
  DepthLimit(rapidjson::Document& doc, unsigned max_depth) : doc_(doc), max_depth_(max_depth) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned i) { return doc_.Uint(i); }
  bool Int64(std::int64_t i) { return doc_.Int64(i); }
  bool Uint64(std::uint64_t i) { return doc_.Uint64(i); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) { return doc_.RawNumber(s, n, copy); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) { return leave() && doc_.EndObject(members); }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { return leave() && doc_.EndArray(elements); }

  bool too_deep() const { return depth_ > max_depth_; }

 private:
  bool enter() { return ++depth_ <= max_depth_; }
  bool leave() {
    --depth_;
    return true;
  }

  rapidjson::Document& doc_;
  unsigned max_depth_;
  unsigned depth_ = 0;
};

}  // namespace

std::string ParseOutcome::message() const {
  if (too_deep()) return "nested more than " + std::to_string(depth_limit_) + " levels deep";
  return rapidjson::GetParseError_En(code_);
}

ParseOutcome parse(rapidjson::Document& doc, std::string_view text, unsigned max_depth) {
  rapidjson::MemoryStream bytes(text.data(), text.size());
  // As Document::Parse reads a string: a UTF-8 BOM is skipped.
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> stream(bytes);
  rapidjson::Reader reader;
  DepthLimit handler(doc, max_depth);
  rapidjson::ParseResult result;
  // Populate builds the document from the events our handler passes on.
  auto generate = [&](rapidjson::Document&) {
    result = reader.Parse<rapidjson::kParseIterativeFlag>(stream, handler);
    // The reader takes a NUL byte for the end of the text; what follows it
    // would be silently ignored.
    if (!result.IsError() && stream.Tell() < text.size())
      result.Set(rapidjson::kParseErrorDocumentRootNotSingular, stream.Tell());
    return !result.IsError();
  };
  doc.Populate(generate);
  if (!result.IsError()) return {};
  doc.SetNull();
  return {result.Code(), result.Offset(), handler.too_deep() ? max_depth : 0};
}

}  // namespace permit::json
