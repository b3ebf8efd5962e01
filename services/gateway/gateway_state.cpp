#include "services/gateway/gateway_state.hpp"

#include <algorithm>
#include <iterator>
#include <set>

#include "core/logging.hpp"
#include "ingress/serving.hpp"

namespace mysfits::gateway {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds scaled_seconds(int seconds, double speedup) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 / speedup));
}

}  // namespace

TargetGroup* Snapshot::group(const std::string& id) const {
  auto it = groups.find(id);
  return it == groups.end() ? nullptr : it->second.get();
}

core::Result<std::shared_ptr<Snapshot>> build_snapshot(const Sources& sources,
                                                       const Snapshot* previous,
                                                       std::vector<DrainingTarget>& removed) {
  auto serving = ingress::load_serving(sources.ingress_files);
  if (!serving)
    return serving.error();
  for (const std::string& note : serving->notes)
    core::log_warn("manifest_note", {{"message", note}});
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->load_balancer = std::move(serving->load_balancer);
  snapshot->routes = std::move(serving->routes);
  snapshot->notes = std::move(serving->notes);
  const ingress::LoadBalancer& lb = snapshot->load_balancer;

  UpstreamMap file;
  if (!sources.upstreams_file.empty()) {
    auto read = read_upstreams_file(sources.upstreams_file);
    if (!read)
      return read.error();
    file = std::move(read.value());
  }
  snapshot->upstreams = merge_upstreams(sources.upstream_flags, file);
  snapshot->loaded_at = std::chrono::system_clock::now();
  snapshot->generation = previous != nullptr ? previous->generation + 1 : 1;

  const auto idle = std::chrono::milliseconds(lb.attributes.idle_timeout_seconds * 1000LL);
  for (const auto& config : lb.target_groups) {
    const std::string key = config.service + ":" + config.port;
    auto found = snapshot->upstreams.find(key);
    if (found == snapshot->upstreams.end()) {
      core::log_warn("no_upstream",
                     {{"target_group", config.id},
                      {"service", key},
                      {"message", "no --upstream for this service: it answers 503"}});
    }
    const TargetGroup* old = previous != nullptr ? previous->group(config.id) : nullptr;
    std::vector<std::shared_ptr<Target>> targets;
    std::set<std::string> seen;
    if (found != snapshot->upstreams.end()) {
      for (const auto& address : found->second) {
        if (!seen.insert(address).second)
          continue;
        std::shared_ptr<Target> reused;
        if (old != nullptr) {
          for (const auto& t : old->targets()) {
            if (t->address() == address)
              reused = t;
          }
        }
        targets.push_back(
            reused ? reused
                   : std::make_shared<Target>(address, config, idle,
                                              scaled_seconds(config.health_check.timeout_seconds,
                                                             sources.health_check_speedup),
                                              snapshot->generation));
      }
    }
    // The group's traffic counts on across reloads (a canary step's window spans one).
    auto traffic = old != nullptr ? old->shared_traffic() : std::make_shared<TrafficCounters>();
    snapshot->groups.emplace(
        config.id, std::make_shared<TargetGroup>(config, key, std::move(targets), traffic));
  }

  if (previous != nullptr) {
    for (const auto& [id, group] : previous->groups) {
      const TargetGroup* now = snapshot->group(id);
      for (const auto& t : group->targets()) {
        bool kept = false;
        if (now != nullptr) {
          for (const auto& n : now->targets())
            kept = kept || n == t;
        }
        if (!kept) {
          const auto delay = std::chrono::seconds(
              (now != nullptr ? now->config() : group->config()).deregistration_delay_seconds);
          removed.push_back({id, t, Clock::now() + delay});
        }
      }
    }
  }
  return snapshot;
}

core::Result<core::Unit> GatewayState::load() {
  std::vector<DrainingTarget> removed;
  auto built = build_snapshot(sources_, nullptr, removed);
  if (!built)
    return built.error();
  publish(std::move(built.value()));
  return core::Unit{};
}

void GatewayState::publish_to(core::HttpServer& server) {
  std::lock_guard lock(mutex_);
  server_ = &server;
  worker_copies_.assign(static_cast<std::size_t>(server.thread_count()), current_);
}

void GatewayState::publish(std::shared_ptr<const Snapshot> snapshot) {
  const int generation = snapshot->generation;
  std::lock_guard lock(mutex_);
  current_ = snapshot;
  if (server_ == nullptr) {
    serving_generation_.store(generation, std::memory_order_release);
    return;
  }
  server_->post_to_every_worker(
      [this, snapshot](int worker) { worker_copies_[static_cast<std::size_t>(worker)] = snapshot; },
      [this, generation] { serving_generation_.store(generation, std::memory_order_release); });
}

core::Result<core::Unit> GatewayState::reload() {
  std::vector<DrainingTarget> removed;
  auto previous = latest();
  auto built = build_snapshot(sources_, previous.get(), removed);
  if (!built) {
    core::log_error("reload_refused", {{"error", built.error().message},
                                       {"message", "keeping the previous rules and targets"}});
    std::lock_guard lock(mutex_);
    last_error_ = built.error().message;
    return built.error();
  }
  for (auto& d : removed) {
    d.target->set_state(TargetState::kDraining);
    core::log_info("target_draining", {{"target_group", d.group},
                                       {"target", d.target->address()},
                                       {"in_flight", d.target->in_flight()}});
  }
  const auto snapshot = std::move(built.value());
  publish(snapshot);
  std::lock_guard lock(mutex_);
  last_error_.clear();
  // Pruned here too, so targets finished draining are released even when nobody looks.
  prune_draining_locked();
  for (auto& d : removed)
    draining_.push_back(std::move(d));
  core::log_info("reloaded", {{"generation", snapshot->generation},
                              {"rules", snapshot->routes.listener().rules.size()},
                              {"target_groups", snapshot->groups.size()}});
  return core::Unit{};
}

std::shared_ptr<const Snapshot> GatewayState::current() const {
  if (server_ != nullptr) {
    if (const int worker = server_->worker_index(); worker >= 0)
      return worker_copies_[static_cast<std::size_t>(worker)];
  }
  return latest();
}

std::shared_ptr<const Snapshot> GatewayState::latest() const {
  std::lock_guard lock(mutex_);
  return current_;
}

namespace {

bool finished_draining(const DrainingTarget& d, std::chrono::steady_clock::time_point now) {
  return now >= d.until && d.target->in_flight() == 0;
}

}  // namespace

void GatewayState::prune_draining_locked() {
  const auto now = Clock::now();
  std::erase_if(draining_, [&](const DrainingTarget& d) { return finished_draining(d, now); });
}

void GatewayState::prune_draining() {
  std::lock_guard lock(mutex_);
  prune_draining_locked();
}

std::vector<DrainingTarget> GatewayState::draining() const {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  std::vector<DrainingTarget> out;
  std::copy_if(draining_.begin(), draining_.end(), std::back_inserter(out),
               [&](const DrainingTarget& d) { return !finished_draining(d, now); });
  return out;
}

std::string GatewayState::last_reload_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

void GatewayState::set_canary_report(boost::json::object report) {
  std::lock_guard lock(mutex_);
  canary_report_ = std::move(report);
}

boost::json::object GatewayState::canary_report() const {
  std::lock_guard lock(mutex_);
  return canary_report_;
}

}  // namespace mysfits::gateway
