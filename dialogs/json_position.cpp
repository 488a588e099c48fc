#include "dialogs/json_position.hpp"

#include <rapidjson/memorystream.h>
#include <rapidjson/pointer.h>
#include <rapidjson/reader.h>

#include <vector>

namespace permit::dialogs {
namespace {

// The pointer's reference tokens, unescaped (RapidJSON parses the pointer).
std::vector<std::string> pointer_tokens(const std::string& pointer) {
  const rapidjson::Pointer parsed(pointer.c_str(), pointer.size());
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < parsed.GetTokenCount(); ++i)
    tokens.emplace_back(parsed.GetTokens()[i].name, parsed.GetTokens()[i].length);
  return tokens;
}

// Follows the parse and remembers where the deepest value on the pointer's
// path begins.
class Locator : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Locator> {
 public:
  Locator(std::string_view json, std::vector<std::string> target, const rapidjson::MemoryStream& stream)
      : json_(json), target_(std::move(target)), stream_(stream) {}

  bool Default() {
    value(stream_.Tell());
    return true;
  }
  // The iterative parser reports a container before taking its bracket.
  bool StartObject() {
    value(stream_.Tell());
    frames_.push_back({false, 0, {}});
    return true;
  }
  bool StartArray() {
    value(stream_.Tell());
    frames_.push_back({true, 0, {}});
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType length, bool) {
    frames_.back().key.assign(s, length);
    key_end_ = stream_.Tell();
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    frames_.pop_back();
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    frames_.pop_back();
    return true;
  }

  std::size_t offset() const { return offset_; }

 private:
  struct Frame {
    bool array;
    std::size_t count;  // elements begun so far: the one being read is count - 1
    std::string key;
  };

  // The opening quote of the key that ends at `end`.
  std::size_t key_start(std::size_t end) const {
    std::size_t i = end >= 2 ? end - 2 : 0;
    while (i > 0 && !(json_[i] == '"' && json_[i - 1] != '\\')) --i;
    return i;
  }

  void value(std::size_t at) {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().count;
    std::size_t depth = 0;
    for (auto& f : frames_) {
      const std::string token = f.array ? std::to_string(f.count - 1) : f.key;
      if (depth >= target_.size() || token != target_[depth]) break;
      ++depth;
    }
    if (depth == frames_.size() && static_cast<int>(depth) > matched_) {
      matched_ = static_cast<int>(depth);
      offset_ = (!frames_.empty() && !frames_.back().array) ? key_start(key_end_) : at;
    }
  }

  std::string_view json_;
  std::vector<std::string> target_;
  const rapidjson::MemoryStream& stream_;
  std::vector<Frame> frames_;
  std::size_t key_end_ = 0;
  std::size_t offset_ = 0;
  int matched_ = -1;
};

}  // namespace

TextPosition position_at(std::string_view text, std::size_t offset) {
  TextPosition p;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++p.column;
    }
  }
  return p;
}

TextPosition locate(std::string_view json, const std::string& pointer) {
  rapidjson::MemoryStream stream(json.data(), json.size());
  Locator locator(json, pointer_tokens(pointer), stream);
  rapidjson::Reader reader;
  reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(stream, locator);
  return position_at(json, locator.offset());
}

}  // namespace permit::dialogs
