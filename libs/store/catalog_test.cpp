#include <gtest/gtest.h>

#include <map>
#include <set>

#include "store/mysfit.hpp"

namespace mysfits::store {
namespace {

TEST(Catalog, HasTheTwelveWorkshopMysfitsWithValidUniqueIds) {
  const auto& all = catalog();
  ASSERT_EQ(all.size(), 12u);
  std::set<std::string> ids;
  for (const auto& m : all) {
    EXPECT_TRUE(is_valid_mysfit_id(m.id)) << m.id;
    ids.insert(m.id);
  }
  EXPECT_EQ(ids.size(), 12u);
}

TEST(Catalog, KeepsTheWorkshopFacts) {
  std::map<std::string, const Mysfit*> by_name;
  for (const auto& m : catalog())
    by_name[m.name] = &m;
  ASSERT_TRUE(by_name.count("Hasla"));
  EXPECT_EQ(by_name["Hasla"]->id, "a901bb08-1985-42f5-bb77-27439ac14300");
  EXPECT_EQ(by_name["Hasla"]->species, "Haetae");
  EXPECT_EQ(by_name["Hasla"]->age, 2000000000);
  ASSERT_TRUE(by_name.count("Twilight Glitter"));
  EXPECT_EQ(by_name["Twilight Glitter"]->good_evil, "Good");
  EXPECT_EQ(by_name["Twilight Glitter"]->law_chaos, "Lawful");
  ASSERT_TRUE(by_name.count("Nessi"));
  EXPECT_EQ(by_name["Nessi"]->thumb_image_uri, "images/nessie_thumb.svg");
  EXPECT_EQ(by_name["Nessi"]->profile_image_uri, "images/nessie_profile.svg");
}

TEST(Catalog, AlignmentsAreTheIndexValuesAndEveryoneStartsUnlikedAndUnadopted) {
  const std::set<std::string> good_evil = {"Good", "Neutral", "Evil"};
  const std::set<std::string> law_chaos = {"Lawful", "Neutral", "Chaotic"};
  std::map<std::string, int> good_evil_count;
  for (const auto& m : catalog()) {
    EXPECT_TRUE(good_evil.count(m.good_evil)) << m.name;
    EXPECT_TRUE(law_chaos.count(m.law_chaos)) << m.name;
    ++good_evil_count[m.good_evil];
    EXPECT_EQ(m.likes, 0);
    EXPECT_FALSE(m.adopted);
  }
  EXPECT_EQ(good_evil_count["Good"], 4);
  EXPECT_EQ(good_evil_count["Evil"], 4);
  EXPECT_EQ(good_evil_count["Neutral"], 4);
}

TEST(Catalog, EveryMysfitHasAShortDescriptionAndSiteRelativeImages) {
  for (const auto& m : catalog()) {
    EXPECT_FALSE(m.description.empty()) << m.name;
    EXPECT_LT(m.description.size(), 300u) << m.name;
    EXPECT_EQ(m.thumb_image_uri.rfind("images/", 0), 0u) << m.name;
    EXPECT_EQ(m.profile_image_uri.rfind("images/", 0), 0u) << m.name;
    EXPECT_NE(m.thumb_image_uri.find("_thumb.svg"), std::string::npos) << m.name;
    EXPECT_NE(m.profile_image_uri.find("_profile.svg"), std::string::npos) << m.name;
  }
}

}  // namespace
}  // namespace mysfits::store
