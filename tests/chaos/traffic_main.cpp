// mysfits-traffic: mixed API traffic against a running system, then an audit of every write.
// The soak and chaos commands drive it; people use it to watch a migration from outside.
#include <CLI/CLI.hpp>
#include <iostream>

#include "chaos/traffic.hpp"

int main(int argc, char** argv) {
  using namespace mysfits::chaos;
  TrafficOptions options;
  int duration_s = 5;
  std::uint64_t max_failures = 0;
  bool json_only = false;
  CLI::App app{
      "Sends mixed traffic (reads, likes, adopts) to a running Mysfits system on this "
      "machine and audits every write afterwards. Exit 0: the audit passed and no "
      "more requests failed than allowed.",
      "mysfits-traffic"};
  app.add_option("--port", options.port, "The system's port on 127.0.0.1 (the gateway)")
      ->capture_default_str();
  app.add_option("--duration", duration_s, "Seconds of traffic")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  app.add_option("--connections", options.connections, "Keep-alive connections")
      ->capture_default_str()
      ->check(CLI::Range(1, 2000));
  app.add_option("--rate", options.rate, "Requests per second in total (0: as fast as answered)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--reads", options.read_percent, "Percent reads")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  app.add_option("--likes", options.like_percent, "Percent likes (the rest: adopts)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100));
  app.add_option("--max-failures", max_failures, "Failed requests (5xx, errors) allowed")
      ->capture_default_str();
  app.add_flag("--json", json_only, "Print only the JSON report");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "mysfits-traffic: " << e.what() << '\n';
    return 2;
  }
  if (options.read_percent + options.like_percent > 100) {
    std::cerr << "mysfits-traffic: --reads + --likes exceeds 100\n";
    return 2;
  }
  options.duration = std::chrono::seconds(duration_s);
  try {
    Snapshot before = snapshot(options.host, options.port);
    std::vector<std::string> ids;
    for (const auto& [id, state] : before)
      ids.push_back(id);
    TrafficReport report = run_traffic(options, ids);
    Snapshot after = snapshot(options.host, options.port);
    auto problems = audit(before, after, report);
    if (!json_only) {
      std::cout << describe(report) << '\n';
      for (const auto& p : problems)
        std::cout << "audit: " << p << '\n';
      std::cout << "audit: " << (problems.empty() ? "passed" : "FAILED") << '\n';
    }
    std::cout << to_json(report, problems) << std::endl;
    return problems.empty() && report.failed <= max_failures ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "mysfits-traffic: " << e.what() << '\n';
    return 1;
  }
}
