#pragma once
// Lists a Balena fleet's devices through the Balena API v7 (see ../shared/notes/balena-api.md): OData query with
// $select, $expand=is_of__device_type($select=slug), $filter on belongs_to__application's slug, all URL-encoded;
// paged with $orderby=id, $top/$skip; 429 honoured through Retry-After; 401 answered in plain text. The token is
// sent only in the Authorization header and never appears in logs or errors.
#include <nlohmann/json.hpp>
#include <string>

namespace edgeml::controller {

struct BalenaSettings {
  std::string base_url = "https://api.balena-cloud.com";
  std::string token;
  int page_size = 100;
  int max_pages = 50;
  long timeout_s = 15;
  int max_retries_429 = 3;
  double max_retry_after_s = 30;  // a longer Retry-After is reported, not waited for
};

// The request path and query for one page (exposed for tests).
std::string balena_devices_query(const std::string& app_slug, bool online_only, int top, int skip);

// {"success":true,"devices":[{device_name, uuid, is_online, ip_address:[...], os_version, device_type}], "count"}.
// Throws Error: 503 without a token, 401 when Balena refuses the token, 429 when still rate limited,
// 502 for other upstream failures (with the status and a truncated body), 504 on timeout.
nlohmann::json balena_list_devices(const BalenaSettings& settings, const std::string& app_slug, bool online_only);

}  // namespace edgeml::controller
