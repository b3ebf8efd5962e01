#include "core/unique_function.hpp"

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>

namespace mysfits::core {
namespace {

// Counts how many of its instances are alive, so leaks and double destruction both show.
struct Tracked {
  explicit Tracked(int* alive) : alive_(alive) { ++*alive_; }
  Tracked(Tracked&& other) noexcept : alive_(other.alive_) { ++*alive_; }
  Tracked(const Tracked&) = delete;
  ~Tracked() { --*alive_; }
  int* alive_;
};

TEST(UniqueFunction, HoldsMoveOnlyStateAndCallsIt) {
  auto value = std::make_unique<int>(41);
  UniqueFunction<int(int)> f = [value = std::move(value)](int add) { return *value + add; };
  ASSERT_TRUE(f);
  EXPECT_EQ(f(1), 42);
  UniqueFunction<int(int)> moved = std::move(f);
  EXPECT_FALSE(f);  // NOLINT(bugprone-use-after-move): the state went with it
  EXPECT_EQ(moved(2), 43);
}

TEST(UniqueFunction, SmallAndLargeCallablesAreDestroyedExactlyOnce) {
  int alive = 0;
  {
    UniqueFunction<void()> small = [t = Tracked(&alive)] {};
    std::array<char, 256> padding{};
    UniqueFunction<void()> large = [t = Tracked(&alive), padding] { (void)padding; };
    EXPECT_EQ(alive, 2);
    UniqueFunction<void()> a = std::move(small);
    UniqueFunction<void()> b;
    b = std::move(large);
    EXPECT_EQ(alive, 2);
    a = std::move(b);  // a's own callable goes
    EXPECT_EQ(alive, 1);
  }
  EXPECT_EQ(alive, 0);
}

TEST(UniqueFunction, PassesArgumentsThroughByValueAndByReference) {
  std::string seen;
  UniqueFunction<void(std::string, std::string&)> f = [&seen](std::string in, std::string& out) {
    seen = std::move(in);
    out = "written";
  };
  std::string out;
  f("moved in", out);
  EXPECT_EQ(seen, "moved in");
  EXPECT_EQ(out, "written");
}

}  // namespace
}  // namespace mysfits::core
