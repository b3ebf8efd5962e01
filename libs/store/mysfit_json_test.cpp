#include "store/mysfit_json.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <limits>

namespace mysfits::store {
namespace {

namespace json = boost::json;

Mysfit sample() {
  Mysfit m = catalog().front();
  m.likes = 42;
  m.adopted = true;
  return m;
}

json::object parse_object(const std::string& text) {
  json::value v = json::parse(text);  // throws on invalid JSON, failing the test
  EXPECT_TRUE(v.is_object()) << text;
  return v.as_object();
}

TEST(MysfitJson, SummaryHasExactlyTheDocumentedFieldsAsStrings) {
  Mysfit m = sample();
  json::object o = parse_object(encode_summary(m));
  EXPECT_EQ(o.size(), 6u);
  EXPECT_EQ(o.at("mysfitId").as_string(), m.id);
  EXPECT_EQ(o.at("name").as_string(), m.name);
  EXPECT_EQ(o.at("species").as_string(), m.species);
  EXPECT_EQ(o.at("goodevil").as_string(), m.good_evil);
  EXPECT_EQ(o.at("lawchaos").as_string(), m.law_chaos);
  EXPECT_EQ(o.at("thumbImageUri").as_string(), m.thumb_image_uri);
}

TEST(MysfitJson, ProfileAddsAgeLikesAdoptedWithTheirTypes) {
  Mysfit m = sample();
  json::object o = parse_object(encode_profile(m));
  EXPECT_EQ(o.size(), 11u);
  EXPECT_EQ(o.at("mysfitId").as_string(), m.id);
  EXPECT_EQ(o.at("thumbImageUri").as_string(), m.thumb_image_uri);
  EXPECT_EQ(o.at("age").as_int64(), m.age);
  EXPECT_EQ(o.at("description").as_string(), m.description);
  EXPECT_EQ(o.at("profileImageUri").as_string(), m.profile_image_uri);
  EXPECT_EQ(o.at("likes").as_int64(), 42);
  EXPECT_EQ(o.at("adopted").as_bool(), true);
  m.adopted = false;
  EXPECT_EQ(parse_object(encode_profile(m)).at("adopted").as_bool(), false);
}

TEST(MysfitJson, LargeAndNegativeIntegersStayIntegers) {
  Mysfit m = sample();
  m.age = std::numeric_limits<std::int64_t>::max();
  m.likes = std::numeric_limits<std::int64_t>::min();
  json::object o = parse_object(encode_profile(m));
  EXPECT_EQ(o.at("age").as_int64(), m.age);
  EXPECT_EQ(o.at("likes").as_int64(), m.likes);
}

TEST(MysfitJson, EscapesQuotesBackslashesAndControlCharactersKeepsUtf8) {
  const std::string tricky = std::string("a\"b\\c\nd\re\tf\bg\fh\x01i\x1fj") +
                             "\xc3\xa9 \xe2\x9c\x93" + std::string(1, '\0') + "</script>";
  Mysfit m = sample();
  m.name = tricky;
  m.description = tricky;
  std::string text = encode_profile(m);
  json::object o = parse_object(text);
  EXPECT_EQ(o.at("name").as_string(), tricky);
  EXPECT_EQ(o.at("description").as_string(), tricky);
  EXPECT_NE(text.find("\\u0001"), std::string::npos);
  EXPECT_NE(text.find("\\u0000"), std::string::npos);
  EXPECT_NE(text.find("\xc3\xa9"), std::string::npos);  // UTF-8 passes through unescaped
}

TEST(MysfitJson, ListWrapsSummariesInOrder) {
  json::object o = parse_object(encode_list(catalog()));
  ASSERT_EQ(o.size(), 1u);
  const json::array& arr = o.at("mysfits").as_array();
  ASSERT_EQ(arr.size(), catalog().size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    EXPECT_EQ(arr[i].as_object().size(), 6u);
    EXPECT_EQ(arr[i].at("mysfitId").as_string(), catalog()[i].id);
  }
}

TEST(MysfitJson, EmptyListIsAnEmptyArray) {
  EXPECT_EQ(encode_list({}), R"({"mysfits":[]})");
  EXPECT_TRUE(parse_object(encode_list({})).at("mysfits").as_array().empty());
}

TEST(MysfitJson, UpdateResults) {
  json::object like = parse_object(encode_like_result(7));
  EXPECT_EQ(like.at("Update").as_string(), "Success");
  EXPECT_EQ(like.at("likes").as_int64(), 7);
  json::object adopt = parse_object(encode_adopt_result());
  EXPECT_EQ(adopt.at("Update").as_string(), "Success");
  EXPECT_EQ(adopt.at("adopted").as_bool(), true);
}

}  // namespace
}  // namespace mysfits::store
