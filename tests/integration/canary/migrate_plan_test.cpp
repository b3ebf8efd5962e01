// `mysfits migrate --plan` for every pair of stages, with no `up` running (--from): one JSON
// line per request class whose backend changes, nothing for the others.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "support/build_tree.hpp"
#include "support/process.hpp"

namespace mysfits::testing {
namespace {

using namespace std::chrono_literals;

// Which split-out Services each stage routes to.
const std::map<std::string, std::set<std::string>> kSplitOut = {
    {"monolith", {}},
    {"like", {"mythical-mysfits-like"}},
    {"like-adopt", {"mythical-mysfits-like", "mythical-mysfits-adopt"}},
};

std::vector<boost::json::object> plan(const std::string& from, const std::string& to) {
  Process cli(bin_path("mysfits"), {"migrate", "--plan", "--from", from, "--to", to});
  EXPECT_EQ(cli.wait(30s), 0) << cli.log();
  std::vector<boost::json::object> lines;
  std::istringstream out(cli.log());
  for (std::string line; std::getline(out, line);) {
    boost::system::error_code ec;
    auto doc = boost::json::parse(line, ec);
    EXPECT_FALSE(ec) << "not a JSON line: " << line;
    if (!ec)
      lines.push_back(doc.as_object());
  }
  return lines;
}

TEST(MigratePlan, EveryPairOfStagesNamesExactlyTheRequestClassesThatChangeBackend) {
  for (const auto& [from, from_services] : kSplitOut) {
    for (const auto& [to, to_services] : kSplitOut) {
      SCOPED_TRACE(from + " -> " + to);
      const auto lines = plan(from, to);
      if (from == to) {
        EXPECT_TRUE(lines.empty());
        continue;
      }
      std::set<std::string> moved;  // the split-out Services that appear or go
      for (const auto& line : lines) {
        const std::string before(line.at("before").as_string());
        const std::string after(line.at("after").as_string());
        EXPECT_NE(before, after) << line;
        ASSERT_TRUE(line.at("example").as_string().starts_with("/")) << line;
        for (const auto& service : {before, after}) {
          const auto name = service.substr(0, service.rfind(':'));
          if (name != "mythical-mysfits-nolike" && !service.starts_with("fixed-response:"))
            moved.insert(name);
        }
        // A public write moves between the monolith and its new service, never anywhere else.
        const std::string example(line.at("example").as_string());
        if (example.ends_with("/like") || example.ends_with("/adopt")) {
          EXPECT_EQ(line.at("method").as_string(), "POST") << line;
        }
      }
      std::set<std::string> expected;
      for (const auto& s : from_services)
        if (to_services.count(s) == 0)
          expected.insert(s);
      for (const auto& s : to_services)
        if (from_services.count(s) == 0)
          expected.insert(s);
      EXPECT_EQ(moved, expected);
    }
  }
  // The example in the issue, word for word.
  const auto like = plan("monolith", "like");
  bool found = false;
  for (const auto& line : like) {
    found = found || (line.at("method") == "POST" && line.at("example") == "/mysfits/x/like" &&
                      line.at("before") == "mythical-mysfits-nolike:80" &&
                      line.at("after") == "mythical-mysfits-like:80");
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace mysfits::testing
