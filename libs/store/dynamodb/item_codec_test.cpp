#include "store/dynamodb/item_codec.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace mysfits::store::dynamodb {
namespace {

boost::json::object parse(const char* text) {
  return boost::json::parse(text).as_object();
}

TEST(ItemCodec, RoundTripsEveryAttribute) {
  Mysfit m = catalog().front();
  m.likes = 7;
  m.adopted = true;
  auto back = item_to_mysfit(mysfit_to_item(m));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_TRUE(*back == m);
}

TEST(ItemCodec, WritesTheLabsAttributeNamesAndTypes) {
  auto item = mysfit_to_item(catalog().front());
  EXPECT_TRUE(item.at("MysfitId").as_object().contains("S"));
  EXPECT_TRUE(item.at("Age").as_object().contains("N"));
  EXPECT_TRUE(item.at("Likes").as_object().contains("N"));
  EXPECT_TRUE(item.at("Adopted").as_object().contains("BOOL"));
  EXPECT_TRUE(item.at("ThumbImageUri").as_object().contains("S"));
}

TEST(ItemCodec, ReadsALabItemWithoutLikesOrAdoptedAndDecimalAge) {
  auto m = item_to_mysfit(parse(
      R"({"MysfitId":{"S":"a-1"},"Name":{"S":"Pauly"},"Age":{"N":"2.0"},"GoodEvil":{"S":"Good"}})"));
  ASSERT_TRUE(m.ok()) << m.error().message;
  EXPECT_EQ(m->age, 2);
  EXPECT_EQ(m->likes, 0);
  EXPECT_FALSE(m->adopted);
}

TEST(ItemCodec, RejectsWrongTypesNamingTheAttribute) {
  auto m = item_to_mysfit(parse(R"({"MysfitId":{"S":"a"},"Likes":{"S":"many"}})"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("Likes"), std::string::npos);
  EXPECT_FALSE(item_to_mysfit(parse(R"({"Name":{"S":"no id"}})")).ok());
  EXPECT_FALSE(item_to_mysfit(parse(R"({"MysfitId":{"S":"a"},"Adopted":{"S":"yes"}})")).ok());
  EXPECT_FALSE(item_to_mysfit(parse(R"({"MysfitId":{"S":"a"},"Age":{"N":"x1"}})")).ok());
}

TEST(ItemCodec, Utf8CheckAcceptsTextAndRefusesBrokenBytes) {
  EXPECT_TRUE(is_valid_utf8("Good"));
  EXPECT_TRUE(is_valid_utf8("\xC3\xA9t\xC3\xA9 \xF0\x9F\x90\x89"));
  EXPECT_FALSE(is_valid_utf8("\xFF\xFE"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));          // cut short
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
}

TEST(ItemCodec, TableNamesFollowDynamoDbsRules) {
  EXPECT_TRUE(is_valid_table_name("MysfitsTable"));
  EXPECT_TRUE(is_valid_table_name("my-table_1.x"));
  EXPECT_FALSE(is_valid_table_name("ab"));
  EXPECT_FALSE(is_valid_table_name("has space"));
  EXPECT_FALSE(is_valid_table_name(std::string(256, 'a')));
}

}  // namespace
}  // namespace mysfits::store::dynamodb
