#pragma once

#include <boost/container/small_vector.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace permit::wechat {

// Name -> text of one message's fields (the elements of its XML, or the
// members of its JSON), each name once. A message has half a dozen fields,
// so they sit in one small vector, searched from the front: a std::map cost
// an allocation per field and a std::string per lookup by a literal, about
// 3k instructions of each webhook request. The interface is the map's, as
// far as its users need it; fields come in the order they were added.
//
// Text is std::string, or std::string_view for fields read in place from a
// body that outlives them (MessageFieldViews: the platform's plain XML
// form, whose fields are copied once, into the message).
template <class Text>
class BasicMessageFields {
 public:
  using value_type = std::pair<Text, Text>;
  // A text message has six fields, a voice message eight: held inline.
  static constexpr std::size_t kTypical = 8;
  using container = boost::container::small_vector<value_type, kTypical>;
  using iterator = typename container::iterator;
  using const_iterator = typename container::const_iterator;

  iterator begin() { return fields_.begin(); }
  iterator end() { return fields_.end(); }
  const_iterator begin() const { return fields_.begin(); }
  const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

  iterator find(std::string_view name) { return find_in(fields_.begin(), fields_.end(), name); }
  const_iterator find(std::string_view name) const { return find_in(fields_.begin(), fields_.end(), name); }
  bool contains(std::string_view name) const { return find(name) != end(); }

  // Adds the field unless its name is taken; false (and the field that has
  // the name) when it is.
  std::pair<iterator, bool> emplace(std::string_view name, Text value) {
    if (auto it = find(name); it != end()) return {it, false};
    fields_.emplace_back(Text(name), std::move(value));
    return {fields_.end() - 1, true};
  }

  // The field's text, added empty when the message has none.
  Text& operator[](std::string_view name) { return emplace(name, Text()).first->second; }

  // As std::map::at: throws std::out_of_range when there is no such field.
  const Text& at(std::string_view name) const {
    auto it = find(name);
    if (it == end()) throw std::out_of_range("no message field " + std::string(name));
    return it->second;
  }

  std::size_t erase(std::string_view name) {
    auto it = find(name);
    if (it == end()) return 0;
    fields_.erase(it);
    return 1;
  }

 private:
  template <class It>
  static It find_in(It first, It last, std::string_view name) {
    while (first != last && first->first != name) ++first;
    return first;
  }

  container fields_;
};

using MessageFields = BasicMessageFields<std::string>;
using MessageFieldViews = BasicMessageFields<std::string_view>;

}  // namespace permit::wechat
