#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace mysfits::testing {

// What the gateway's weighted forward does with real requests: two monoliths stand in for the
// pods of the Services of `ingress_file` (upstreams maps each "SERVICE:PORT" to stand-in 0 or 1;
// which target group answers is what matters), the gateway serves the manifest, `requests` POSTs
// to `target` are sent (each must answer expect_status), and the result is how many each target
// group served, by upstream key, from its /status.json traffic. Fails the test (and returns what
// it has) when something does not start.
std::map<std::string, std::uint64_t> split_requests(const std::string& ingress_file,
                                                    const std::map<std::string, int>& upstreams,
                                                    const std::string& target, int requests,
                                                    int expect_status);

// The bounds a correct split stays within: the binomial count's mean +- five standard
// deviations (about one chance in a million to fail a correct split).
struct SplitBounds {
  double low;
  double high;
};
SplitBounds binomial_bounds(int requests, double share);

}  // namespace mysfits::testing
