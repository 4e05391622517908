#include "fetch/http_get.hpp"

#include <curl/curl.h>

#include <cctype>

#include "common/strings.hpp"

namespace edgeml::fetch {

namespace {
struct Collect {
  HttpReply* reply;
  size_t max;
  bool too_large = false;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& c = *static_cast<Collect*>(user);
  size_t len = size * n;
  if (c.reply->body.size() + len > c.max) {
    c.too_large = true;
    return 0;
  }
  c.reply->body.append(data, len);
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& reply = *static_cast<HttpReply*>(user);
  std::string_view line(data, size * n);
  auto colon = line.find(':');
  if (colon != std::string_view::npos)
    reply.headers[to_lower(trim(line.substr(0, colon)))] = std::string(trim(line.substr(colon + 1)));
  return size * n;
}
}  // namespace

std::string HttpReply::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpReply http_get(const std::string& url, const GetOptions& options) {
  static const bool init = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)init;
  HttpReply reply;
  Collect collect{&reply, options.max_body_bytes};
  CURL* c = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& h : options.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, options.timeout_s);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &collect);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &reply);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(c);
  if (collect.too_large)
    throw std::runtime_error("answer larger than " + std::to_string(options.max_body_bytes) + " bytes");
  if (rc != CURLE_OK) throw std::runtime_error(curl_easy_strerror(rc));
  return reply;
}

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += hex[ch >> 4];
      out += hex[ch & 15];
    }
  }
  return out;
}

}  // namespace edgeml::fetch
