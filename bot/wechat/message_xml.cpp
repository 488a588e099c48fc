#include "bot/wechat/message_xml.hpp"

#include <pugixml.hpp>

#include <algorithm>
#include <charconv>

namespace permit::wechat {
namespace {

using boost::system::result;

constexpr std::string_view kCdataOpen = "<![CDATA[";
constexpr std::string_view kCommentOpen = "<!--";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool is_blank(std::string_view s) { return std::all_of(s.begin(), s.end(), is_space); }

// Where a leading <?xml ...?> declaration ends (after an optional BOM and
// whitespace), or 0 when there is none; nullopt when it never closes.
std::optional<std::size_t> skip_declaration(std::string_view body) {
  std::size_t i = body.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  while (i < body.size() && is_space(body[i])) {
    ++i;
  }
  const std::string_view rest = body.substr(i);
  if (!rest.starts_with("<?xml") || rest.size() < 6 || !is_space(rest[5])) {
    return 0;  // no declaration; any "<?" here is caught as a PI by the scan
  }
  const auto end = body.find("?>", i);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  return end + 2;
}

// The scan runs before pugixml so hostile markup is refused by what it is,
// not by what one parser version happens to do with it. CDATA and comments
// are skipped whole so that "<!" inside them is just text.
std::optional<ProtocolError> scan_markup(std::string_view body) {
  if (body.find('\0') != std::string_view::npos) {
    return ProtocolError::malformed_xml;  // XML cannot carry NUL; pugixml would stop there
  }
  const auto start = skip_declaration(body);
  if (!start) {
    return ProtocolError::malformed_xml;
  }
  for (std::size_t i = body.find('<', *start); i != std::string_view::npos;
       i = body.find('<', i)) {
    const std::string_view rest = body.substr(i);
    std::string_view close;
    if (rest.starts_with(kCdataOpen)) {
      close = "]]>";
    } else if (rest.starts_with(kCommentOpen)) {
      close = "-->";
    } else if (kCdataOpen.starts_with(rest) || kCommentOpen.starts_with(rest)) {
      return ProtocolError::malformed_xml;  // the body was cut off mid-token
    } else if (rest.starts_with("<!") || rest.starts_with("<?")) {
      return ProtocolError::forbidden_markup;
    } else {
      ++i;
      continue;
    }
    const std::size_t open_len = close == "]]>" ? kCdataOpen.size() : kCommentOpen.size();
    const auto end = body.find(close, i + open_len);
    if (end == std::string_view::npos) {
      return ProtocolError::malformed_xml;
    }
    i = end + close.size();
  }
  return std::nullopt;
}

// Text of a leaf element: its text and CDATA children, in order.
result<std::string> leaf_text(const pugi::xml_node& element) {
  std::string text;
  for (const auto& child : element.children()) {
    switch (child.type()) {
      case pugi::node_pcdata:
      case pugi::node_cdata:
        text += child.value();
        break;
      case pugi::node_element:
        return ProtocolError::malformed_xml;
      case pugi::node_pi:
      case pugi::node_declaration:
      case pugi::node_doctype:
        return ProtocolError::forbidden_markup;
      default:
        break;
    }
  }
  return text;
}

// The one <xml> element, checking that nothing else sits at the top level.
result<pugi::xml_node> root_of(const pugi::xml_document& doc) {
  pugi::xml_node root;
  bool first = true;
  for (const auto& node : doc.children()) {
    switch (node.type()) {
      case pugi::node_declaration:
        if (!first) {
          return ProtocolError::forbidden_markup;
        }
        break;
      case pugi::node_element:
        if (root) {
          return ProtocolError::malformed_xml;  // pugixml tolerates several roots; we do not
        }
        root = node;
        break;
      case pugi::node_pi:
      case pugi::node_doctype:
        return ProtocolError::forbidden_markup;
      case pugi::node_pcdata:
      case pugi::node_cdata:
        if (!is_blank(node.value())) {
          return ProtocolError::malformed_xml;
        }
        break;
      default:
        break;
    }
    first = false;
  }
  if (!root || std::string_view(root.name()) != "xml") {
    return ProtocolError::malformed_xml;
  }
  return root;
}

template <class Int>
std::optional<Int> parse_digits(std::string_view s) {
  // from_chars would take a leading '-' for signed types; WeChat sends digits.
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  Int value{};
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return value;
}

bool valid_openid(std::string_view s) {
  return !s.empty() && s.size() <= 128 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
  });
}

template <class Text>
const Text* field(const BasicMessageFields<Text>& fields, std::string_view name) {
  const auto it = fields.find(name);
  return it == fields.end() ? nullptr : &it->second;
}

// The inside of a CDATA section. "]]>" would end the section early; close
// after "]]" and reopen for ">".
void append_cdata_text(std::string& out, std::string_view value) {
  for (std::size_t pos = value.find("]]>"); pos != std::string_view::npos;
       pos = value.find("]]>")) {
    out.append(value.substr(0, pos)).append("]]]]><![CDATA[>");
    value.remove_prefix(pos + 3);
  }
  out.append(value);
}

void append_cdata(std::string& out, std::string_view name, std::string_view value) {
  out.append("<").append(name).append("><![CDATA[");
  append_cdata_text(out, value);
  out.append("]]></").append(name).append(">");
}

void append_text(std::string& out, std::string_view name, std::string_view value) {
  out.append("<").append(name).append(">");
  for (const char c : value) {
    switch (c) {
      case '&': out.append("&amp;"); break;
      case '<': out.append("&lt;"); break;
      case '>': out.append("&gt;"); break;
      default: out.push_back(c); break;
    }
  }
  out.append("</").append(name).append(">");
}

void append_header(std::string& out, std::string_view to_user, std::string_view from_user,
                   std::int64_t create_time, std::string_view msg_type) {
  out.append("<xml>");
  append_cdata(out, "ToUserName", to_user);
  append_cdata(out, "FromUserName", from_user);
  append_text(out, "CreateTime", std::to_string(create_time));
  append_cdata(out, "MsgType", msg_type);
}

}  // namespace

// The form the platform posts: "<xml>", then elements each holding one
// CDATA section or plain text, nothing between them but whitespace, then
// "</xml>". Read without pugixml, which with the checks around it cost
// about 8,700 instructions of every webhook request. Anything else (a
// declaration, attributes, escapes, comments, '\r', which the parser
// would turn into '\n', a name given twice, even whitespace before
// "<xml>") gives nullopt, and the document is parsed in full by
// parse_document: this path only takes what that one would give the same
// fields for.
std::optional<MessageFieldViews> parse_plain_xml(std::string_view body) {
  constexpr std::string_view kOpen = "<xml>", kClose = "</xml>", kCdataClose = "]]>";
  if (!body.starts_with(kOpen) || !body.ends_with(kClose) || body.size() < kOpen.size() + kClose.size() ||
      body.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view rest = body.substr(kOpen.size(), body.size() - kOpen.size() - kClose.size());
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const auto is_name_char = [&](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '_';
  };
  MessageFieldViews fields;
  while (true) {
    while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);
    if (rest.empty()) return fields;
    // <Name>, a name of letters, digits and '_', not starting with a digit
    if (rest.size() < 3 || rest[0] != '<' || is_digit(rest[1])) return std::nullopt;
    std::size_t name_end = 1;
    while (name_end < rest.size() && is_name_char(rest[name_end])) ++name_end;
    if (name_end == 1 || name_end == rest.size() || rest[name_end] != '>') return std::nullopt;
    const std::string_view name = rest.substr(1, name_end - 1);
    rest.remove_prefix(name_end + 1);
    // One CDATA section, or text with nothing the parser would change or read as markup.
    std::string_view text;
    if (rest.starts_with(kCdataOpen)) {
      const auto close = rest.find(kCdataClose, kCdataOpen.size());
      if (close == std::string_view::npos) return std::nullopt;
      text = rest.substr(kCdataOpen.size(), close - kCdataOpen.size());
      if (text.find('\r') != std::string_view::npos) return std::nullopt;
      rest.remove_prefix(close + kCdataClose.size());
    } else {
      const auto plain = [](char c) { return c != '<' && c != '>' && c != '&' && c != ']' && c != '\r'; };
      std::size_t stop = 0;
      while (stop < rest.size() && plain(rest[stop])) ++stop;
      text = rest.substr(0, stop);
      if (!text.empty() && is_blank(text)) return std::nullopt;  // kept or dropped: the parser's rules
      rest.remove_prefix(stop);
    }
    // </Name>
    if (rest.size() < name.size() + 3 || !rest.starts_with("</") || rest.substr(2, name.size()) != name ||
        rest[name.size() + 2] != '>') {
      return std::nullopt;
    }
    rest.remove_prefix(name.size() + 3);
    if (!fields.emplace(name, text).second) return std::nullopt;
  }
}

namespace {

result<MessageFields> parse_document(std::string_view body) {
  if (body.empty()) {
    return ProtocolError::malformed_xml;
  }
  if (const auto refused = scan_markup(body)) {
    return *refused;
  }
  // No parse_doctype: even if a DOCTYPE slipped past the scan it would not
  // be kept, and pugixml never expands entities it was not born with.
  // parse_fragment keeps text outside the root, which pugixml otherwise
  // drops without a word: root_of must see it to refuse "junk<xml>...".
  constexpr unsigned kFlags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                              pugi::parse_pi | pugi::parse_declaration |
                              pugi::parse_ws_pcdata_single | pugi::parse_fragment;
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size(), kFlags, pugi::encoding_utf8)) {
    return ProtocolError::malformed_xml;
  }
  const auto root = root_of(doc);
  if (!root) {
    return root.error();
  }
  MessageFields fields;
  for (const auto& child : root->children()) {
    if (child.type() == pugi::node_element) {
      auto text = leaf_text(child);
      if (!text) {
        return text.error();
      }
      if (!fields.emplace(child.name(), std::move(*text)).second) {
        return ProtocolError::malformed_xml;  // which duplicate wins is ambiguous
      }
    } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
      if (!is_blank(child.value())) {
        return ProtocolError::malformed_xml;
      }
    } else if (child.type() == pugi::node_pi || child.type() == pugi::node_doctype ||
               child.type() == pugi::node_declaration) {
      return ProtocolError::forbidden_markup;
    }
  }
  return fields;
}

}  // namespace

result<MessageFields> parse_xml_fields(std::string_view body) {
  if (auto views = parse_plain_xml(body)) {
    MessageFields fields;
    for (const auto& [name, text] : *views) fields.emplace(name, std::string(text));
    return fields;
  }
  return parse_document(body);
}

namespace {

template <class Text>
result<InboundMessage> read_message(const BasicMessageFields<Text>& fields) {
  const auto* to = field(fields, "ToUserName");
  const auto* from = field(fields, "FromUserName");
  const auto* create_time = field(fields, "CreateTime");
  const auto* msg_type = field(fields, "MsgType");
  if (!to || !from || !create_time || !msg_type) {
    return ProtocolError::missing_field;
  }
  const auto created = parse_digits<std::int64_t>(*create_time);
  if (to->empty() || !valid_openid(*from) || !created || msg_type->empty()) {
    return ProtocolError::bad_field;
  }
  InboundMessage message;
  message.to_user = *to;
  message.from_user = *from;
  message.create_time = *created;
  message.msg_type = *msg_type;
  if (const auto* id = field(fields, "MsgId")) {
    message.msg_id = parse_digits<std::uint64_t>(*id);
    if (!message.msg_id) {
      return ProtocolError::bad_field;
    }
  }
  if (message.msg_type == "event") {
    const auto* event = field(fields, "Event");
    if (!event) {
      return ProtocolError::missing_field;
    }
    if (event->empty()) {
      return ProtocolError::bad_field;
    }
    message.event = *event;
    if (const auto* key = field(fields, "EventKey")) {
      message.event_key = *key;
    }
    return message;
  }
  // Without a MsgId a retried message could not be told from a new one.
  if (!message.msg_id) {
    return ProtocolError::missing_field;
  }
  if (message.msg_type == "text") {
    const auto* content = field(fields, "Content");
    if (!content) {
      return ProtocolError::missing_field;
    }
    message.content = *content;
  } else if (message.msg_type == "voice") {
    // Present (and maybe empty) only when the account has speech
    // recognition on; the audio itself (MediaId) is not fetched.
    if (const auto* recognition = field(fields, "Recognition")) message.content = *recognition;
  }
  return message;
}

}  // namespace

result<InboundMessage> message_from_fields(const MessageFields& fields) { return read_message(fields); }

result<InboundMessage> message_from_fields(const MessageFieldViews& fields) { return read_message(fields); }

std::string dedupe_key(const InboundMessage& message) {
  if (message.msg_id) {
    return "m:" + std::to_string(*message.msg_id);
  }
  return "e:" + message.from_user + ":" + std::to_string(message.create_time) + ":" +
         message.event + ":" + message.event_key;
}

std::string build_text_reply(std::string_view to_user, std::string_view from_user,
                             std::int64_t create_time, std::string_view content) {
  // Sized once: appended piece by piece from empty, a reply grew through
  // five reallocations. The markup, the time and the type take 200 bytes at
  // most; only a value with "]]>" to split can outgrow this.
  constexpr std::size_t kMarkup = 200;
  std::string out;
  out.reserve(kMarkup + to_user.size() + from_user.size() + content.size());
  // Every webhook answer is one: the platform's layout, written as four
  // pieces of markup around the values, not an element at a time (some
  // forty appends, most of what a reply cost). build_text_message is the
  // same layout plus MsgId.
  char digits[24];
  const std::string_view time(digits, std::to_chars(digits, digits + sizeof digits, create_time).ptr - digits);
  out.append("<xml><ToUserName><![CDATA[");
  append_cdata_text(out, to_user);
  out.append("]]></ToUserName><FromUserName><![CDATA[");
  append_cdata_text(out, from_user);
  out.append("]]></FromUserName><CreateTime>").append(time).append(
      "</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[");
  append_cdata_text(out, content);
  out.append("]]></Content></xml>");
  return out;
}

std::string build_encrypted_envelope(std::string_view encrypt, std::string_view msg_signature,
                                     std::string_view timestamp, std::string_view nonce) {
  std::string out = "<xml>";
  append_cdata(out, "Encrypt", encrypt);
  append_cdata(out, "MsgSignature", msg_signature);
  append_text(out, "TimeStamp", timestamp);
  append_cdata(out, "Nonce", nonce);
  out.append("</xml>");
  return out;
}

std::string build_text_message(std::string_view to_user, std::string_view from_user,
                               std::int64_t create_time, std::string_view content,
                               std::uint64_t msg_id) {
  std::string out;
  append_header(out, to_user, from_user, create_time, "text");
  append_cdata(out, "Content", content);
  append_text(out, "MsgId", std::to_string(msg_id));
  out.append("</xml>");
  return out;
}

std::string build_voice_message(std::string_view to_user, std::string_view from_user, std::int64_t create_time,
                                std::string_view media_id, std::optional<std::string_view> recognition,
                                std::uint64_t msg_id) {
  std::string out;
  append_header(out, to_user, from_user, create_time, "voice");
  append_cdata(out, "MediaId", media_id);
  append_cdata(out, "Format", "amr");
  if (recognition) append_cdata(out, "Recognition", *recognition);
  append_text(out, "MsgId", std::to_string(msg_id));
  out.append("</xml>");
  return out;
}

std::string build_event_message(std::string_view to_user, std::string_view from_user,
                                std::int64_t create_time, std::string_view event,
                                std::string_view event_key) {
  std::string out;
  append_header(out, to_user, from_user, create_time, "event");
  append_cdata(out, "Event", event);
  append_cdata(out, "EventKey", event_key);
  out.append("</xml>");
  return out;
}

std::string build_encrypted_post_body(std::string_view to_user, std::string_view encrypt) {
  std::string out = "<xml>";
  append_cdata(out, "ToUserName", to_user);
  append_cdata(out, "Encrypt", encrypt);
  out.append("</xml>");
  return out;
}

}  // namespace permit::wechat
