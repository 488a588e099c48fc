#include "bot/wechat/message_fields.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace permit::wechat {
namespace {

TEST(MessageFieldsContainer, KeepsTheFirstOfANameAndFindsByName) {
  MessageFields fields;
  EXPECT_TRUE(fields.emplace("MsgType", "text").second);
  EXPECT_TRUE(fields.emplace("Content", "hi").second);
  const auto again = fields.emplace("MsgType", "voice");
  EXPECT_FALSE(again.second);
  EXPECT_EQ(again.first->second, "text") << "the field already there stays";
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields.at("Content"), "hi");
  EXPECT_TRUE(fields.contains("MsgType"));
  EXPECT_FALSE(fields.contains("msgtype")) << "names are case-sensitive, as XML's";
  EXPECT_EQ(fields.find("MsgId"), fields.end());
  EXPECT_THROW((void)fields.at("MsgId"), std::out_of_range);
}

TEST(MessageFieldsContainer, IndexingAddsAndEraseRemoves) {
  MessageFields fields;
  fields["MsgId"] = "1";
  EXPECT_EQ(fields["MsgId"], "1");
  EXPECT_EQ(fields["Event"], "") << "a missing name is added empty";
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields.erase("MsgId"), 1u);
  EXPECT_EQ(fields.erase("MsgId"), 0u);
  EXPECT_FALSE(fields.contains("MsgId"));
  EXPECT_EQ(fields.size(), 1u);
}

}  // namespace
}  // namespace permit::wechat
