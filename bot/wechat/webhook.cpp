#include "bot/wechat/webhook.hpp"

#include "bot/util/digest.hpp"
#include "bot/wechat/message_json.hpp"
#include "bot/wechat/protocol_error.hpp"
#include "bot/wechat/signature.hpp"

namespace permit::wechat {
namespace {

Refusal unauthorized(std::string reason) { return {Refusal::Kind::unauthorized, std::move(reason)}; }
Refusal bad_request(std::string reason) { return {Refusal::Kind::bad_request, std::move(reason)}; }

boost::system::result<MessageFields> read_fields(std::string_view body) {
  return is_json_body(body) ? parse_json_fields(body) : parse_xml_fields(body);
}

// `verified`, with its message; or why the message is refused.
boost::system::result<Verified, Refusal> with_message(Verified& verified,
                                                      boost::system::result<InboundMessage>&& message) {
  if (!message) return bad_request("bad message: " + message.error().message());
  verified.message = std::move(*message);
  return std::move(verified);
}

std::string random_nonce() {
  std::string bytes = util::random_bytes(8);
  std::uint64_t n = 0;
  for (unsigned char c : bytes) n = (n << 8) | c;
  return std::to_string(n % 10'000'000'000ULL);
}

}  // namespace

std::optional<Refusal> check_signature(const Account& account, const SignedQuery& query, std::int64_t now) {
  if (!query.signature || !query.timestamp || !query.nonce) return unauthorized("missing signature parameters");
  if (!signature_valid(*query.signature, sign(account.token, *query.timestamp, *query.nonce)))
    return unauthorized("bad signature");
  if (!timestamp_fresh(*query.timestamp, now, account.timestamp_skew_seconds))
    return unauthorized("timestamp too far from now");
  return std::nullopt;
}

boost::system::result<Verified, Refusal> read_post(const Account& account, const SignedQuery& query,
                                                   std::string_view body, std::int64_t now) {
  if (auto refused = check_signature(account, query, now)) return *refused;
  Verified verified;
  // The mini-program push may come as JSON; its replies go out through the
  // customer-service API rather than in the HTTP answer.
  verified.json = is_json_body(body);
  verified.safe_mode = query.encrypt_type == "aes";
  // A message in clear, in the form the platform posts: its fields are read
  // in place and copied once, into the message.
  if (!verified.json && !verified.safe_mode) {
    if (auto plain = parse_plain_xml(body)) return with_message(verified, message_from_fields(*plain));
  }
  auto fields = read_fields(body);
  if (!fields) return bad_request("malformed body: " + fields.error().message());

  if (verified.safe_mode && !account.cipher) {
    // Compatible mode carries the message in clear as well, and takes a
    // reply in clear: without a key, that copy is used. Safe mode (only
    // the encrypted copy) cannot be read without one.
    if (!fields->contains("FromUserName")) return bad_request("safe mode is not configured (no aes_key)");
    verified.safe_mode = false;
  }
  if (verified.safe_mode) {
    auto encrypt = fields->find("Encrypt");
    if (encrypt == fields->end()) return bad_request("missing Encrypt");
    if (!query.msg_signature ||
        !signature_valid(*query.msg_signature,
                         sign_encrypted(account.token, *query.timestamp, *query.nonce, encrypt->second)))
      return unauthorized("bad msg_signature");
    auto inner = account.cipher->decrypt(encrypt->second, account.appid);
    if (!inner) {
      if (inner.error() == ProtocolError::appid_mismatch) return unauthorized("message is for another appid");
      return bad_request("cannot decrypt: " + inner.error().message());
    }
    fields = read_fields(*inner);
    if (!fields) return bad_request("malformed body: " + fields.error().message());
  }

  return with_message(verified, message_from_fields(*fields));
}

std::string passive_reply(const Account& account, const Verified& to, const std::string& text, std::int64_t now) {
  std::string xml = build_text_reply(to.message.from_user, to.message.to_user, now, text);
  if (!to.safe_mode) return xml;
  const std::string timestamp = std::to_string(now);
  const std::string nonce = random_nonce();
  std::string encrypted = account.cipher->encrypt(xml, account.appid);
  std::string signature = sign_encrypted(account.token, timestamp, nonce, encrypted);
  return build_encrypted_envelope(encrypted, signature, timestamp, nonce);
}

}  // namespace permit::wechat
