#include "controller/balena_client.hpp"

#include <chrono>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/strings.hpp"
#include "http/client.hpp"
#include "http/request.hpp"

namespace edgeml::controller {

namespace {
using http::percent_encode;

// OData string literal: single quotes, a quote inside doubled.
std::string odata_literal(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("''") : std::string(1, c);
  return out + "'";
}

nlohmann::json device_type_of(const nlohmann::json& d) {
  // Expanded navigation properties are arrays; unexpanded ones are {"__id": N}.
  const auto& t = d.contains("is_of__device_type") ? d["is_of__device_type"] : nlohmann::json();
  if (t.is_array() && !t.empty() && t[0].is_object() && t[0].contains("slug")) return t[0]["slug"];
  return nullptr;
}

nlohmann::json to_device(const nlohmann::json& d) {
  nlohmann::json ips = nlohmann::json::array();
  if (d.contains("ip_address") && d["ip_address"].is_string())
    for (const auto& ip : split_whitespace(d["ip_address"].get<std::string>())) ips.push_back(ip);
  auto str = [&](const char* k) { return d.contains(k) && d[k].is_string() ? d[k] : nlohmann::json(); };
  return {{"device_name", str("device_name")},
          {"name", str("device_name")},
          {"uuid", str("uuid")},
          {"id", d.contains("id") ? d["id"] : nlohmann::json()},
          {"is_online", d.contains("is_online") && d["is_online"].is_boolean() ? d["is_online"] : nlohmann::json()},
          {"status", d.value("is_online", false) ? "online" : "offline"},
          {"ip_address", ips},
          {"os_version", str("os_version")},
          {"device_type", device_type_of(d)}};
}

std::string short_body(const std::string& body) {
  std::string b(trim(body));
  return b.size() > 200 ? b.substr(0, 200) + "..." : b;
}
}  // namespace

std::string balena_devices_query(const std::string& app_slug, bool online_only, int top, int skip) {
  std::string filter = "belongs_to__application/any(a:a/slug eq " + odata_literal(app_slug) + ")";
  if (online_only) filter += " and is_online eq true";
  return "/v7/device?$select=" + percent_encode("id,uuid,device_name,is_online,ip_address,os_version") +
         "&$expand=" + percent_encode("is_of__device_type($select=slug)") + "&$filter=" + percent_encode(filter) +
         "&$orderby=" + percent_encode("id asc") + "&$top=" + std::to_string(top) + "&$skip=" + std::to_string(skip);
}

nlohmann::json balena_list_devices(const BalenaSettings& s, const std::string& app_slug, bool online_only) {
  if (s.token.empty()) throw Error(ErrorKind::unavailable, "BALENA_API_TOKEN is not configured");
  http::require_header_safe(s.token, "BALENA_API_TOKEN");
  http::Client client;
  nlohmann::json devices = nlohmann::json::array();
  for (int page = 0; page < s.max_pages; ++page) {
    std::string url = s.base_url + balena_devices_query(app_slug, online_only, s.page_size, page * s.page_size);
    http::ClientResponse reply;
    for (int attempt = 0;; ++attempt) {
      http::ClientRequest request;
      request.url = url;
      request.timeout_s = static_cast<double>(s.timeout_s);
      request.headers.add("Authorization", "Bearer " + s.token);
      request.headers.add("Accept", "application/json");
      try {
        reply = client.send(request);
      } catch (const Error& e) {
        throw Error(e.kind() == ErrorKind::upstream_timeout ? ErrorKind::upstream_timeout : ErrorKind::upstream_failed,
                    std::string("Balena API did not answer: ") + e.what());
      }
      if (reply.status != 429) break;
      auto wait = parse_double(reply.headers.get("Retry-After"));
      if (attempt >= s.max_retries_429 || !wait || *wait > s.max_retry_after_s)
        throw Error(ErrorKind::rate_limited,
                    "Balena API rate limit: retry after " + (wait ? format_number(*wait) + " s" : "a while"));
      log::warn("controller", "Balena API rate limit, retrying after " + format_number(*wait) + " s");
      std::this_thread::sleep_for(std::chrono::duration<double>(*wait));
    }
    if (reply.status == 401 || reply.status == 403)
      throw Error(ErrorKind::unauthorized, "Balena API refused the token (HTTP " + std::to_string(reply.status) + ": " +
                                               short_body(reply.body) + ")");
    if (reply.status != 200)
      throw Error(ErrorKind::upstream_failed,
                  "Balena API answered HTTP " + std::to_string(reply.status) + ": " + short_body(reply.body));
    auto body = nlohmann::json::parse(reply.body, nullptr, false);
    if (!body.is_object() || !body.contains("d") || !body["d"].is_array())
      throw Error(ErrorKind::upstream_failed, "Balena API answer has no 'd' list: " + short_body(reply.body));
    for (const auto& d : body["d"])
      if (d.is_object()) devices.push_back(to_device(d));
    if (static_cast<int>(body["d"].size()) < s.page_size) break;  // a short page is the last
  }
  return {{"success", true}, {"app_slug", app_slug}, {"count", devices.size()}, {"devices", devices}};
}

}  // namespace edgeml::controller
