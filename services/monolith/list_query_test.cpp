#include "services/monolith/list_query.hpp"

#include <gtest/gtest.h>

namespace mysfits::monolith {
namespace {

TEST(ListQuery, NoQueryOrNoFilterMeansTheWholeList) {
  for (std::string_view q : {"", "_=123", "page=2&sort=name", "&", "filterx=GoodEvil"}) {
    auto r = parse_list_query(q);
    ASSERT_TRUE(r.ok()) << q;
    EXPECT_FALSE(r.value().has_value()) << q;
  }
}

TEST(ListQuery, ParsesBothFiltersWithTheirValue) {
  auto good = parse_list_query("filter=GoodEvil&value=Good");
  ASSERT_TRUE(good.ok());
  ASSERT_TRUE(good.value().has_value());
  EXPECT_EQ(good.value()->field, store::FilterField::kGoodEvil);
  EXPECT_EQ(good.value()->value, "Good");
  auto chaotic = parse_list_query("value=Chaotic&filter=LawChaos&_=1");
  ASSERT_TRUE(chaotic.ok());
  EXPECT_EQ(chaotic.value()->field, store::FilterField::kLawChaos);
  EXPECT_EQ(chaotic.value()->value, "Chaotic");
}

TEST(ListQuery, DecodesPercentAndPlus) {
  auto r = parse_list_query("filter=Good%45vil&value=Very+Good%21");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value()->field, store::FilterField::kGoodEvil);
  EXPECT_EQ(r.value()->value, "Very Good!");
}

TEST(ListQuery, RejectsBadFiltersAndMissingValues) {
  for (std::string_view q :
       {"filter=Name&value=x", "filter=GoodEvilIndex&value=Good", "filter=goodevil&value=Good",
        "filter=&value=Good", "filter=GoodEvil", "filter=GoodEvil&value=", "filter=GoodEvil&value",
        "value=Good", "filter=GoodEvil&filter=LawChaos&value=Good",
        "filter=GoodEvil&value=Good&value=Evil", "filter=GoodEvil&value=%zz", "filter=%"}) {
    auto r = parse_list_query(q);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.error().code, core::Errc::kBadRequest) << q;
    EXPECT_FALSE(r.error().message.empty());
  }
}

// The server hands the query as a view into its read buffer, followed by " HTTP/1.1" and the
// headers; nothing past the view's end may leak into a parameter (Boost.URL 1.81's query
// iterators read the last value to the end of the underlying buffer).
TEST(ListQuery, ReadsNothingPastTheEndOfTheView) {
  const std::string buffer = "filter=LawChaos&value=Lawful HTTP/1.1\r\nHost: x\r\n";
  auto whole = parse_list_query(std::string_view(buffer).substr(0, buffer.find(' ')));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole.value()->value, "Lawful");

  auto missing_value = parse_list_query(std::string_view(buffer).substr(0, 15));
  ASSERT_FALSE(missing_value.ok());
  EXPECT_EQ(missing_value.error().message, "filter needs a value, e.g. value=Good");
}

TEST(ListQuery, RejectsAnOverlongValue) {
  std::string q = "filter=GoodEvil&value=" + std::string(kMaxFilterValue, 'a');
  EXPECT_TRUE(parse_list_query(q).ok());
  EXPECT_FALSE(parse_list_query(q + "a").ok());
}

}  // namespace
}  // namespace mysfits::monolith
