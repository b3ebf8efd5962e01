#pragma once

#include <string_view>

// The status page's files, compiled into the gateway (cmake/EmbedFile.cmake) so it serves them
// wherever it runs: the website's own stylesheet and logo, and the page's additions.
namespace mysfits::gateway::status_assets {

extern const std::string_view kSiteCss;    // web/css/site.css
extern const std::string_view kLogoSvg;    // web/images/favicon.svg
extern const std::string_view kStatusCss;  // status/status.css
extern const std::string_view kStatusJs;   // status/status.js

}  // namespace mysfits::gateway::status_assets
