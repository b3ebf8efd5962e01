#include "ingress/glob.hpp"

#include <gtest/gtest.h>

#include <string>

namespace mysfits::ingress {
namespace {

struct GlobCase {
  const char* pattern;
  const char* text;
  bool match;
};

TEST(Glob, PathPatternsMatchTheWholePathCaseSensitively) {
  const GlobCase cases[] = {
      {"/", "/", true},
      {"/", "/x", false},  // ImplementationSpecific "/" is the root only (#667, #699)
      {"/*", "/", true},
      {"/*", "/a/b/c", true},
      {"/foo/*", "/foo", false},
      {"/foo/*", "/foo/", true},
      {"/foo/*", "/foo/bar/baz", true},
      {"/mysfits/*/like", "/mysfits/abc/like", true},
      {"/mysfits/*/like", "/mysfits/a/b/like", true},  // '*' crosses '/'
      {"/mysfits/*/like", "/mysfits/abc/likes", false},
      {"/mysfits/*/like", "/mysfits//like", true},
      {"/mysfits/*/like", "/Mysfits/abc/like", false},
      {"/a?c", "/abc", true},
      {"/a?c", "/ac", false},
      {"/a?c", "/abbc", false},
      {"*", "", true},
      {"", "", true},
      {"", "/", false},
      {"/static/*.css", "/static/x/y.css", true},
      {"/static/*.css", "/static/y.cssx", false},
      {"*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
      {"/x\\*", "/x\\y", true},  // no escapes in path patterns
  };
  for (const auto& c : cases)
    EXPECT_EQ(glob_match(c.pattern, c.text), c.match) << c.pattern << " vs " << c.text;
}

TEST(Glob, FoldsCaseWhenAsked) {
  EXPECT_TRUE(glob_match("*.Example.com", "api.EXAMPLE.com", {true, false}));
  EXPECT_FALSE(glob_match("*.example.com", "example.com", {true, false}));
  EXPECT_TRUE(glob_match("*.example.com", "a.b.example.com", {true, false}));
}

TEST(Glob, EscapedWildcardsAreLiteralInQueryMode) {
  const GlobOptions query{true, true};
  EXPECT_TRUE(glob_match("a\\*b", "a*b", query));
  EXPECT_FALSE(glob_match("a\\*b", "axb", query));
  EXPECT_TRUE(glob_match("a\\?", "A?", query));
  EXPECT_FALSE(glob_match("a\\?", "ab", query));
  EXPECT_TRUE(glob_match("a\\", "a\\", query));  // a trailing backslash is itself
}

TEST(Glob, LongHostileInputsFinishQuickly) {
  const std::string text(20000, 'a');
  EXPECT_FALSE(glob_match("*a*a*a*a*a*a*a*a*a*a*b", text));
  EXPECT_TRUE(glob_match("*a*a*a*a*a*a*a*a*a*a*", text));
}

}  // namespace
}  // namespace mysfits::ingress
