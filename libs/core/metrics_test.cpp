#include "core/metrics.hpp"

#include <gtest/gtest.h>

namespace mysfits::core {
namespace {

TEST(Metrics, CountsByRouteAndStatus) {
  Metrics m("svc");
  auto* s = m.series("GET /mysfits");
  s->observe(200, 0.0004);
  s->observe(200, 0.003);
  s->observe(404, 0.2);
  auto text = m.render();
  EXPECT_NE(
      text.find(
          R"(mysfits_http_requests_total{service="svc",route="GET /mysfits",status="200"} 2)"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(status="404"} 1)"), std::string::npos);
}

TEST(Metrics, HistogramIsCumulative) {
  Metrics m("svc");
  auto* s = m.series("r");
  s->observe(200, 0.0004);  // first bucket
  s->observe(200, 0.003);   // le 0.005
  s->observe(200, 10.0);    // +Inf only
  auto text = m.render();
  EXPECT_NE(text.find(R"(le="0.0005"} 1)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(le="0.005"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(le="2.5"} 2)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(le="+Inf"} 3)"), std::string::npos) << text;
  EXPECT_NE(text.find(R"(_count{service="svc",route="r"} 3)"), std::string::npos) << text;
}

TEST(Metrics, SameLabelReturnsSameSeries) {
  Metrics m("svc");
  EXPECT_EQ(m.series("a"), m.series("a"));
  EXPECT_NE(m.series("a"), m.series("b"));
}

TEST(Metrics, GaugesAreReadAtRender) {
  Metrics m("svc");
  double v = 1;
  m.add_gauge("mysfits_open_connections", "Open client connections.", [&] { return v; });
  v = 7;
  EXPECT_NE(m.render().find(R"(mysfits_open_connections{service="svc"} 7)"), std::string::npos);
}

}  // namespace
}  // namespace mysfits::core
