// The audit and the report's text forms, apart from the traffic loop.
#include <boost/json.hpp>
#include <sstream>

#include "chaos/traffic.hpp"

namespace mysfits::chaos {
namespace {

template <class Map>
std::uint64_t count_of(const Map& map, const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? 0 : it->second;
}

}  // namespace

std::vector<std::string> audit(const Snapshot& before, const Snapshot& after,
                               const TrafficReport& report) {
  std::vector<std::string> problems;
  for (const auto& [id, was] : before) {
    auto it = after.find(id);
    if (it == after.end()) {
      problems.push_back(id + ": missing after the run");
      continue;
    }
    const MysfitState& now = it->second;
    // A like that failed in transit (reset, 5xx) may or may not have been stored: that is the
    // only slack. Fewer than acknowledged is a lost write; more is a write nobody asked for.
    auto acknowledged = static_cast<std::int64_t>(count_of(report.likes_acknowledged, id));
    auto unknown = static_cast<std::int64_t>(count_of(report.likes_failed, id));
    std::int64_t delta = now.likes - was.likes;
    if (delta < acknowledged)
      problems.push_back(id + ": " + std::to_string(acknowledged) + " likes acknowledged, " +
                         std::to_string(delta) + " stored (lost writes)");
    if (delta > acknowledged + unknown)
      problems.push_back(id + ": " + std::to_string(delta) + " likes stored, only " +
                         std::to_string(acknowledged) + " acknowledged and " +
                         std::to_string(unknown) + " unknown (counted twice?)");
    bool adopt_acknowledged = report.adopts_acknowledged.count(id) > 0;
    bool adopt_unknown = report.adopts_failed.count(id) > 0;
    if (adopt_acknowledged && !now.adopted)
      problems.push_back(id + ": adopt acknowledged but not adopted (lost write)");
    if (!was.adopted && now.adopted && !adopt_acknowledged && !adopt_unknown)
      problems.push_back(id + ": adopted although no adopt of it was sent");
    if (was.adopted && !now.adopted)
      problems.push_back(id + ": adoption reverted");
    if (was.adopted && adopt_acknowledged)
      problems.push_back(id + ": already adopted, yet an adopt answered 200");
  }
  return problems;
}

std::string describe(const TrafficReport& report) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(1);
  out << report.requests << " requests in " << report.elapsed.count() << " ms ("
      << report.throughput() << " req/s), " << report.failed << " failed; p50 "
      << report.percentile(50) << " ms, p99 " << report.percentile(99) << " ms, max "
      << report.percentile(100) << " ms; statuses:";
  for (const auto& [status, count] : report.by_status)
    out << ' ' << (status ? std::to_string(status) : std::string("error")) << '=' << count;
  for (const auto& error : report.first_errors)
    out << "\n  first errors: " << error;
  return out.str();
}

std::string to_json(const TrafficReport& report, const std::vector<std::string>& problems) {
  boost::json::object o;
  o["requests"] = report.requests;
  o["failed"] = report.failed;
  o["elapsed_ms"] = report.elapsed.count();
  o["throughput"] = report.throughput();
  o["p50_ms"] = report.percentile(50);
  o["p99_ms"] = report.percentile(99);
  o["max_ms"] = report.percentile(100);
  boost::json::object statuses;
  for (const auto& [status, count] : report.by_status)
    statuses[status ? std::to_string(status) : "error"] = count;
  o["statuses"] = std::move(statuses);
  std::uint64_t likes = 0;
  for (const auto& [id, count] : report.likes_acknowledged)
    likes += count;
  o["likes_acknowledged"] = likes;
  o["adopts_acknowledged"] = report.adopts_acknowledged.size();
  boost::json::array list;
  for (const auto& p : problems)
    list.emplace_back(p);
  o["audit_problems"] = std::move(list);
  o["audit"] = problems.empty() ? "passed" : "failed";
  return boost::json::serialize(o);
}

}  // namespace mysfits::chaos
