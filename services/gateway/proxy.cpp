#include "services/gateway/proxy.hpp"

#include <chrono>
#include <random>

#include "core/ascii.hpp"
#include "core/logging.hpp"
#include "services/gateway/alb_responses.hpp"
#include "services/gateway/forwarded_headers.hpp"
#include "services/gateway/trace_id.hpp"

namespace mysfits::gateway {
namespace {

using core::iequals;

// A weighted forward picks one leg in proportion to its weight (0-999); weight 0 gets nothing.
const ingress::TargetGroupRef* choose_leg(const ingress::Forward& action) {
  if (action.target_groups.size() == 1)
    return &action.target_groups.front();
  int total = 0;
  for (const auto& leg : action.target_groups)
    total += std::max(leg.weight, 0);
  if (total == 0)
    return nullptr;
  thread_local std::minstd_rand rng{std::random_device{}()};
  int roll = std::uniform_int_distribution<int>(0, total - 1)(rng);
  for (const auto& leg : action.target_groups) {
    roll -= std::max(leg.weight, 0);
    if (roll < 0)
      return &leg;
  }
  return nullptr;
}

// head: the target's Content-Length describes the body a GET would get; it is relayed as is.
// The target's header list is filtered in place and becomes the response's, copying nothing.
core::Response relay(core::ClientResponse&& upstream, bool head) {
  core::Response out;
  out.status = upstream.status;
  out.content_type.clear();
  out.body = std::move(upstream.body);
  auto& headers = upstream.headers;
  std::size_t kept = 0;
  for (auto& field : headers) {
    auto& [name, value] = field;
    if (!head || !iequals(name, "content-length")) {
      if (is_hop_by_hop(name))
        continue;
      if (iequals(name, "content-type") && out.content_type.empty()) {
        out.content_type = std::move(value);
        continue;
      }
    }
    if (&headers[kept] != &field)
      headers[kept] = std::move(field);
    ++kept;
  }
  headers.erase(headers.begin() + static_cast<std::ptrdiff_t>(kept), headers.end());
  out.headers = std::move(headers);
  return out;
}

}  // namespace

void Proxy::handle(const core::Request& request, core::Responder responder) {
  if (request.method() == "TRACE") {
    responder.send(alb_error(405));
    return;
  }
  HeaderViews headers;
  request.for_each_header(
      [&](std::string_view name, std::string_view value) { headers.emplace_back(name, value); });
  if (count_forwarded_for(joined_forwarded_for(headers)) > kMaxForwardedForAddresses) {
    responder.send(alb_error(463));
    return;
  }
  auto snapshot = state_.current();
  ingress::RequestView view;
  view.method = request.method();
  view.target = request.target();
  view.host = request.header("host");
  view.headers = headers;
  view.source_ip = request.remote_address();
  const auto match = snapshot->routes.match(view);

  if (const auto* fixed = std::get_if<ingress::FixedResponse>(match.action)) {
    responder.send(fixed_response(*fixed));
  } else if (const auto* redirect = std::get_if<ingress::Redirect>(match.action)) {
    RedirectRequest where;
    where.host = ingress::host_without_port(view.host);
    where.port = request.local_port();
    where.path = request.path();
    where.query = request.query();
    responder.send(redirect_response(*redirect, where));
  } else if (const auto* forward = std::get_if<ingress::Forward>(match.action)) {
    this->forward(request, headers, std::move(responder), std::move(snapshot), *forward);
  } else {
    responder.send(alb_error(503));
  }
}

void Proxy::forward(const core::Request& request, const HeaderViews& headers,
                    core::Responder responder, std::shared_ptr<const Snapshot> snapshot,
                    const ingress::Forward& action) {
  const ingress::TargetGroupRef* leg = choose_leg(action);
  TargetGroup* group =
      leg != nullptr && !leg->external ? snapshot->group(leg->target_group) : nullptr;
  std::shared_ptr<Target> target = group != nullptr ? group->pick() : nullptr;
  const auto started = std::chrono::steady_clock::now();
  if (target == nullptr) {
    if (group != nullptr)
      group->traffic().record(503, {});
    responder.send(alb_error(503));
    return;
  }

  const auto& attributes = snapshot->load_balancer.attributes;
  ForwardContext context;
  context.client_ip = request.remote_address();
  context.client_port = request.remote_port();
  context.listener_port = request.local_port();
  context.xff_mode = attributes.xff_mode;
  context.xff_client_port = attributes.xff_client_port;
  context.preserve_host_header = attributes.preserve_host_header;
  context.drop_invalid_header_fields = attributes.drop_invalid_header_fields;

  core::ClientRequest upstream;
  upstream.method = std::string(request.method());
  upstream.target = std::string(request.target());
  upstream.headers = forwarded_headers(headers, context, make_trace_id());
  upstream.body = std::string(request.body());

  const bool head = request.method() == "HEAD";
  target->begin_request();
  target->count_request();
  auto& client = target->client();
  // group lives in the snapshot, which the callback keeps alive.
  client.send(std::move(upstream),
              [target = std::move(target), responder = std::move(responder), head, group, started,
               snapshot = std::move(snapshot)](core::Result<core::ClientResponse> result) mutable {
                target->end_request();
                const auto took = std::chrono::steady_clock::now() - started;
                if (result.ok()) {
                  group->traffic().record(result.value().status, took);
                  responder.send(relay(std::move(result).value(), head));
                  return;
                }
                const int status = result.error().code == core::Errc::kTimeout ? 504 : 502;
                group->traffic().record(status, took);
                core::log_warn("target_failed", {{"target_group", group->config().id},
                                                 {"target", target->address()},
                                                 {"status", status},
                                                 {"error", result.error().message}});
                responder.send(alb_error(status));
              });
}

}  // namespace mysfits::gateway
