#include "store/mysfit.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mysfits::store {
namespace {

TEST(FilterField, ParsesTheTwoIndexNames) {
  EXPECT_EQ(parse_filter_field("GoodEvil"), FilterField::kGoodEvil);
  EXPECT_EQ(parse_filter_field("LawChaos"), FilterField::kLawChaos);
}

TEST(FilterField, RejectsAnythingElseIncludingOtherCase) {
  for (std::string_view text :
       {"", "goodevil", "GOODEVIL", "GoodEvilIndex", "Name", "LawChaos ", "MysfitId", "Good"})
    EXPECT_FALSE(parse_filter_field(text).has_value()) << text;
}

TEST(MysfitId, AcceptsLettersDigitsAndDashesUpTo64) {
  EXPECT_TRUE(is_valid_mysfit_id("4e53920c-505a-4a90-a694-b9300791f0ae"));
  EXPECT_TRUE(is_valid_mysfit_id("a"));
  EXPECT_TRUE(is_valid_mysfit_id("-"));
  EXPECT_TRUE(is_valid_mysfit_id("AZaz09"));
  EXPECT_TRUE(is_valid_mysfit_id(std::string(64, 'x')));
}

TEST(MysfitId, RejectsEmptyTooLongAndOtherCharacters) {
  EXPECT_FALSE(is_valid_mysfit_id(""));
  EXPECT_FALSE(is_valid_mysfit_id(std::string(65, 'x')));
  for (std::string_view id :
       {"a b", "a_b", "a/b", "a%20b", "a.b", "a?b", "\xc3\xa9", "a\nb", "a+b", "..", "{id}"})
    EXPECT_FALSE(is_valid_mysfit_id(id)) << id;
  EXPECT_FALSE(is_valid_mysfit_id(std::string_view("a\0b", 3)));
}

Mysfit named(std::string name, std::string id) {
  Mysfit m;
  m.name = std::move(name);
  m.id = std::move(id);
  return m;
}

TEST(SortForListing, OrdersByNameThenId) {
  std::vector<Mysfit> v = {named("Nessi", "2"), named("Cole", "9"), named("Nessi", "1"),
                           named("Atlantis", "5")};
  sort_for_listing(v);
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v[0].name, "Atlantis");
  EXPECT_EQ(v[1].name, "Cole");
  EXPECT_EQ(v[2].id, "1");
  EXPECT_EQ(v[3].id, "2");
}

TEST(SortForListing, ComparesBytesLikeSqliteBinaryCollation) {
  // Upper case sorts before lower case, and UTF-8 after ASCII: the same as ORDER BY in SQLite.
  std::vector<Mysfit> v = {named("coco", "1"), named("\xc3\x89lan", "2"), named("CoCo", "3")};
  sort_for_listing(v);
  EXPECT_EQ(v[0].name, "CoCo");
  EXPECT_EQ(v[1].name, "coco");
  EXPECT_EQ(v[2].name, "\xc3\x89lan");
}

}  // namespace
}  // namespace mysfits::store
