#include "bot/util/base64.hpp"
#include "bot/util/digest.hpp"
#include "bot/util/log.hpp"
#include "json/parse.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace permit::util {
namespace {

TEST(Digest, Sha1OfKnownInputIsLowercaseHex) {
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

TEST(Digest, Sha256OfKnownInputIsLowercaseHex) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, HashesEmbeddedZeroBytes) {
  EXPECT_NE(sha1_hex(std::string("a\0b", 3)), sha1_hex("a"));
}

TEST(ConstantTimeEquals, EqualStringsMatch) {
  EXPECT_TRUE(constant_time_equals("abcdef", "abcdef"));
  EXPECT_TRUE(constant_time_equals("", ""));
}

TEST(ConstantTimeEquals, DifferentContentDoesNotMatch) {
  EXPECT_FALSE(constant_time_equals("abcdef", "abcdeg"));
  EXPECT_FALSE(constant_time_equals("xbcdef", "abcdef"));
}

TEST(ConstantTimeEquals, DifferentLengthsDoNotMatch) {
  EXPECT_FALSE(constant_time_equals("abc", "abcd"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_FALSE(constant_time_equals("abcd", "abc"));
}

TEST(RandomBytes, ReturnsRequestedLength) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(16).size(), 16u);
  EXPECT_EQ(random_bytes(1000).size(), 1000u);
}

TEST(RandomBytes, TwoDrawsDiffer) { EXPECT_NE(random_bytes(32), random_bytes(32)); }

TEST(Base64, EncodesRfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesRfc4648Vectors) {
  EXPECT_EQ(base64_decode(""), std::string());
  EXPECT_EQ(base64_decode("Zg=="), "f");
  EXPECT_EQ(base64_decode("Zm8="), "fo");
  EXPECT_EQ(base64_decode("Zm9v"), "foo");
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
}

TEST(Base64, PaddingIsNotDecodedAsZeroBytes) {
  EXPECT_EQ(base64_decode("AA=="), std::string(1, '\0'));
  EXPECT_EQ(base64_decode("AAA="), std::string(2, '\0'));
  EXPECT_EQ(base64_decode("AAAA"), std::string(3, '\0'));
}

TEST(Base64, BinaryRoundTrips) {
  std::string all;
  for (int i = 0; i < 256; ++i) {
    all.push_back(static_cast<char>(i));
  }
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const auto part = all.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(part)), part) << n;
  }
}

TEST(Base64, RejectsLengthNotMultipleOfFour) {
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Zm9vY"));
  EXPECT_FALSE(base64_decode("Zg="));
}

TEST(Base64, RejectsInvalidCharacters) {
  EXPECT_FALSE(base64_decode("Zm9!"));
  EXPECT_FALSE(base64_decode("Zm-_"));  // URL-safe alphabet is not ours
  EXPECT_FALSE(base64_decode("Zm9v\n"));
  EXPECT_FALSE(base64_decode(" Zm9v"));
  EXPECT_FALSE(base64_decode(std::string("Zm\0v", 4)));
}

TEST(Base64, RejectsMisplacedOrExcessPadding) {
  EXPECT_FALSE(base64_decode("===="));
  EXPECT_FALSE(base64_decode("Z==="));
  EXPECT_FALSE(base64_decode("Zg=a"));
  EXPECT_FALSE(base64_decode("Zg==Zg=="));
  EXPECT_FALSE(base64_decode("=Zm9"));
}

const auto kAt = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796466662153));  // 2026-12-05T10:31:02.153Z

TEST(LogLine, TextIsOneLineWithTheLevelAndALineBreakInTheMessageEscaped) {
  EXPECT_EQ(log_line(LogFormat::text, "warn", "first\nsecond\r", kAt), "permit-bot warn: first\\nsecond\\r\n");
}

TEST(LogLine, JsonIsOneObjectALineWithTimeLevelAndMessage) {
  const std::string message = "a \"quoted\" line\nand\tanother \x01 \xe4\xbd\xa0";
  const std::string line = log_line(LogFormat::json, "error", message, kAt);
  ASSERT_TRUE(line.ends_with("}\n")) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  rapidjson::Document doc;
  ASSERT_TRUE(json::parse(doc, line.substr(0, line.size() - 1)) && doc.IsObject()) << line;
  EXPECT_EQ(std::string(doc["time"].GetString()), "2026-12-05T10:31:02.153Z");
  EXPECT_EQ(std::string(doc["level"].GetString()), "error");
  EXPECT_EQ(std::string(doc["message"].GetString()), message);
}

}  // namespace
}  // namespace permit::util
