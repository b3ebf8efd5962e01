#include "services/gateway/trace_id.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace mysfits::gateway {
namespace {

const std::string kId = "1-67891233-abcdef012345678912345678";

TEST(TraceId, HasVersionEpochSecondsAndNinetySixRandomBits) {
  EXPECT_EQ(make_trace_id(0x5759e988, 0xbd862e3fe1be46a9ULL, 0x94272793),
            "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_TRUE(std::regex_match(make_trace_id(), std::regex("1-[0-9a-f]{8}-[0-9a-f]{24}")));
  EXPECT_NE(make_trace_id(), make_trace_id());
}

TEST(TraceId, AbsentHeaderBecomesRoot) {
  EXPECT_EQ(forwarded_trace_header("", kId, false), "Root=" + kId);
}

TEST(TraceId, RootWithoutSelfGetsSelfInFront) {
  EXPECT_EQ(forwarded_trace_header("Root=1-1-2;CalledFrom=app", kId, false),
            "Self=" + kId + ";Root=1-1-2;CalledFrom=app");
}

TEST(TraceId, ExistingSelfIsReplacedInPlace) {
  EXPECT_EQ(forwarded_trace_header("Self=1-old;Root=1-root;Custom=x", kId, false),
            "Self=" + kId + ";Root=1-root;Custom=x");
}

TEST(TraceId, NeitherRootNorSelfGetsARoot) {
  EXPECT_EQ(forwarded_trace_header("Custom=x", kId, false), "Root=" + kId + ";Custom=x");
}

TEST(TraceId, OversizedRequestHeadersGetOnlyARoot) {
  EXPECT_EQ(forwarded_trace_header("Root=1-1-2;CalledFrom=app", kId, true), "Root=" + kId);
}

}  // namespace
}  // namespace mysfits::gateway
