#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace mysfits::cli {

// What `mysfits status --json` prints: the gateway's GET /status.json (its shape is in
// docs/gateway.md) with the running `up`'s stage, gateway URL and status page URL added first.
boost::json::object status_document(std::string_view stage, std::string_view gateway_url,
                                    std::string_view status_page_url,
                                    const boost::json::object& gateway_status);

// The same for people, as `kubectl get` prints it: the stage; the listener's rules in priority
// order (conditions, action, and for a forward each target group with its weight and share);
// every target group's targets with health, in-flight and request counts (draining ones too).
// Tolerates missing fields (a gateway of another version): they show as "-".
std::string render_status(const boost::json::object& document);

}  // namespace mysfits::cli
