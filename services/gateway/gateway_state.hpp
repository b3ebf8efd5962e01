#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/http_server.hpp"
#include "core/result.hpp"
#include "ingress/load_balancer.hpp"
#include "ingress/route_table.hpp"
#include "services/gateway/target_group.hpp"
#include "services/gateway/upstreams.hpp"

namespace mysfits::gateway {

// Where the gateway's configuration comes from; re-read on SIGHUP.
struct Sources {
  std::vector<std::string> ingress_files;
  UpstreamMap upstream_flags;
  std::string upstreams_file;  // empty: none
  // Health-check intervals and timeouts are divided by this (tests and demos; 1 = the ALB's).
  double health_check_speedup = 1.0;
};

// One immutable generation of the configuration: the load balancer built from the manifests,
// its serving listener compiled into a route table (both from ingress::load_serving, the
// pipeline `mysfits routes` uses too), and the runtime target groups. Requests take a
// shared_ptr to the generation current when they arrive and keep it to the end.
struct Snapshot {
  ingress::LoadBalancer load_balancer;
  ingress::RouteTable routes;
  std::vector<std::string> notes;                              // ingress::Serving::notes
  std::map<std::string, std::shared_ptr<TargetGroup>> groups;  // by TargetGroupConfig::id
  UpstreamMap upstreams;
  std::chrono::system_clock::time_point loaded_at;
  int generation = 1;

  TargetGroup* group(const std::string& id) const;
};

// A target removed by a reload: no new requests, in-flight ones finish; shown as draining until
// the group's deregistration delay has passed.
struct DrainingTarget {
  std::string group;
  std::shared_ptr<Target> target;
  std::chrono::steady_clock::time_point until;
};

// Builds a snapshot. Targets of the previous snapshot whose group and address are unchanged are
// reused (their health and pools carry over); those that disappear are returned in `removed`.
core::Result<std::shared_ptr<Snapshot>> build_snapshot(const Sources& sources,
                                                       const Snapshot* previous,
                                                       std::vector<DrainingTarget>& removed);

// The current snapshot plus the draining targets; safe to use from every thread.
//
// The proxy reads the snapshot on every request without a lock: once publish_to() has wired
// it to a server, each worker keeps its own copy, which only that worker touches, and a reload
// hands every worker the new snapshot through its event loop. The mutex guards only what the
// control plane touches (the newest snapshot for threads that are no worker, reload errors,
// draining targets).
class GatewayState {
 public:
  explicit GatewayState(Sources sources) : sources_(std::move(sources)) {}

  // First load; an error here is the user's to fix (exit 2).
  core::Result<core::Unit> load();
  // SIGHUP: on any error the old snapshot stays and the error is logged and returned.
  core::Result<core::Unit> reload();
  // Gives each of the server's workers its own copy of the current snapshot, and of every one a
  // reload makes from now on. Call once, after load() and before server.run().
  void publish_to(core::HttpServer& server);

  // On a worker of the server published to: that worker's copy, read without a lock or an
  // atomic. On any other thread: the newest snapshot, under the mutex.
  std::shared_ptr<const Snapshot> current() const;
  // The generation every worker serves: once a reload's snapshot is here, no new request is
  // routed by an older one.
  int serving_generation() const { return serving_generation_.load(std::memory_order_acquire); }
  // Targets still draining (their delay not yet passed, or requests still in flight). A read:
  // it changes nothing; prune_draining() forgets the finished ones.
  std::vector<DrainingTarget> draining() const;
  void prune_draining();
  const Sources& sources() const { return sources_; }
  std::string last_reload_error() const;

  // The report of the canary `mysfits migrate --canary` runs through this gateway (its steps'
  // weights and analyses), handed in on the admin port and shown on the status page; empty
  // until one is.
  void set_canary_report(boost::json::object report);
  boost::json::object canary_report() const;

 private:
  void prune_draining_locked();
  void publish(std::shared_ptr<const Snapshot> snapshot);
  std::shared_ptr<const Snapshot> latest() const;  // the newest snapshot, under the mutex

  Sources sources_;
  core::HttpServer* server_ = nullptr;  // set once, before the workers start
  // [i] is read and written only on worker i (set up before the workers start).
  std::vector<std::shared_ptr<const Snapshot>> worker_copies_;
  std::atomic<int> serving_generation_{0};

  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
  std::vector<DrainingTarget> draining_;
  std::string last_error_;
  boost::json::object canary_report_;
};

}  // namespace mysfits::gateway
