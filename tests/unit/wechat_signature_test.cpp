#include "bot/wechat/protocol_error.hpp"
#include "bot/wechat/signature.hpp"

#include <gtest/gtest.h>

#include <boost/system/result.hpp>

#include <cstdint>
#include <limits>

namespace permit::wechat {
namespace {

TEST(Signature, MatchesHandshakeVector) {
  EXPECT_EQ(sign("AAAAA", "1714036504", "1514711492"), "f464b24fc39322e44b38aa78f5edd27bd1441696");
}

TEST(Signature, DoesNotDependOnArgumentOrder) {
  EXPECT_EQ(sign("1514711492", "AAAAA", "1714036504"), sign("AAAAA", "1714036504", "1514711492"));
}

TEST(Signature, MsgSignatureMatchesShortVector) {
  EXPECT_EQ(sign_encrypted("test", "123456", "test", "rust"),
            "d6056f2bb3ad3e30f4afa5ef90cc9ddcdc7b7b27");
}

TEST(Signature, MsgSignatureMatchesSafeModeVector) {
  EXPECT_EQ(sign_encrypted("123456", "1411443780", "437374425",
                           "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n"
                           "7hOchLF6p+Q=="),
            "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96");
}

TEST(Signature, MsgSignatureIsNotThePlainSignature) {
  EXPECT_NE(sign_encrypted("test", "123456", "test", "rust"), sign("test", "123456", "test"));
}

TEST(SignatureValid, AcceptsExactMatch) {
  const auto expected = sign("AAAAA", "1714036504", "1514711492");
  EXPECT_TRUE(signature_valid(expected, expected));
}

TEST(SignatureValid, AcceptsUppercaseReceivedHex) {
  EXPECT_TRUE(signature_valid("F464B24FC39322E44B38AA78F5EDD27BD1441696",
                              "f464b24fc39322e44b38aa78f5edd27bd1441696"));
}

TEST(SignatureValid, RejectsOneChangedCharacter) {
  EXPECT_FALSE(signature_valid("f464b24fc39322e44b38aa78f5edd27bd1441697",
                               "f464b24fc39322e44b38aa78f5edd27bd1441696"));
}

TEST(SignatureValid, RejectsEmptyAndTruncated) {
  EXPECT_FALSE(signature_valid("", "f464b24fc39322e44b38aa78f5edd27bd1441696"));
  EXPECT_FALSE(signature_valid("f464b24fc39322e44b38aa78f5edd27bd144169",
                               "f464b24fc39322e44b38aa78f5edd27bd1441696"));
}

TEST(SignatureValid, RejectsLongerThanAnyDigest) {
  const std::string expected = "f464b24fc39322e44b38aa78f5edd27bd1441696";
  EXPECT_FALSE(signature_valid(expected + expected, expected));
  EXPECT_FALSE(signature_valid(std::string(1000, 'f'), std::string(1000, 'f')));
}

TEST(TimestampFresh, AcceptsWithinSkewOnBothSides) {
  EXPECT_TRUE(timestamp_fresh("1000", 1000, 300));
  EXPECT_TRUE(timestamp_fresh("700", 1000, 300));
  EXPECT_TRUE(timestamp_fresh("1300", 1000, 300));
}

TEST(TimestampFresh, RejectsJustOutsideSkew) {
  EXPECT_FALSE(timestamp_fresh("699", 1000, 300));
  EXPECT_FALSE(timestamp_fresh("1301", 1000, 300));
}

TEST(TimestampFresh, RejectsNonDigits) {
  EXPECT_FALSE(timestamp_fresh("", 1000, 300));
  EXPECT_FALSE(timestamp_fresh("-1000", 1000, 300));
  EXPECT_FALSE(timestamp_fresh("+1000", 1000, 300));
  EXPECT_FALSE(timestamp_fresh("10 00", 1000, 300));
  EXPECT_FALSE(timestamp_fresh("1000a", 1000, 300));
  EXPECT_FALSE(timestamp_fresh(" 1000", 1000, 300));
}

TEST(TimestampFresh, RejectsTooManyDigitsOrOverflow) {
  EXPECT_FALSE(timestamp_fresh("00000000000000001000", 1000, 300));  // 20 digits
  EXPECT_FALSE(timestamp_fresh("9999999999999999999", 1000, 300));   // > int64
}

TEST(TimestampFresh, AcceptsLeadingZerosWithinNineteenDigits) {
  EXPECT_TRUE(timestamp_fresh("0000000000000001000", 1000, 0));
}

TEST(TimestampFresh, SurvivesExtremeNowWithoutOverflow) {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_FALSE(timestamp_fresh("9223372036854775807", kMin, kMax));
  EXPECT_TRUE(timestamp_fresh("9223372036854775807", kMax, 0));
  EXPECT_FALSE(timestamp_fresh("1000", 1000, -1));
}

TEST(ProtocolError, CarriesItsOwnCategory) {
  const boost::system::error_code ec = ProtocolError::bad_padding;
  EXPECT_STREQ(ec.category().name(), "wechat");
  EXPECT_EQ(ec, ProtocolError::bad_padding);
  EXPECT_NE(ec, ProtocolError::bad_ciphertext);
  EXPECT_FALSE(ec.message().empty());
  boost::system::result<int> r = ProtocolError::appid_mismatch;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), ProtocolError::appid_mismatch);
}

}  // namespace
}  // namespace permit::wechat
