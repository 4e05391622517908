#include "http/client.hpp"

#include <curl/curl.h>

#include <mutex>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::http {

namespace {

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Transfer {
  const ClientRequest* request = nullptr;
  ClientResponse* response = nullptr;
  CURL* curl = nullptr;
  bool too_large = false;
  bool headers_done = false;
};

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    t.response->headers = Headers();  // a new answer (after a 100 Continue or a redirect)
    return size * n;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    try {
      t.response->headers.add(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
    } catch (const Error&) {
      // A server's odd header is not our problem to fail on: leave it out.
    }
  }
  return size * n;
}

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t.request->on_body) {
    long status = 0;
    curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &status);
    if (!t.request->on_body(static_cast<int>(status), data, len)) {
      t.response->aborted_by_callback = true;
      return 0;
    }
    return len;
  }
  if (t.response->body.size() + len > t.request->max_body_bytes) {
    t.too_large = true;
    return 0;
  }
  t.response->body.append(data, len);
  return len;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& t = *static_cast<Transfer*>(user);
  if (t.request->on_progress) {
    std::optional<std::uint64_t> total;
    if (dltotal > 0) total = t.request->resume_from + static_cast<std::uint64_t>(dltotal);
    t.request->on_progress(t.request->resume_from + static_cast<std::uint64_t>(dlnow), total);
  }
  return 0;
}

long millis(double s) { return s <= 0 ? 0L : static_cast<long>(s * 1000.0 + 0.5); }

// For messages: a URL without its query, which may hold a signature.
std::string without_query(const std::string& url) { return url.substr(0, url.find('?')); }

}  // namespace

struct Client::Impl {
  TlsClientOptions tls;
  CURL* curl = nullptr;
};

Client::Client(TlsClientOptions tls) : impl_(std::make_unique<Impl>()) {
  global_init();
  impl_->tls = std::move(tls);
  impl_->curl = curl_easy_init();
  if (!impl_->curl) throw Error(ErrorKind::internal, "libcurl could not start");
}

Client::~Client() {
  if (impl_->curl) curl_easy_cleanup(impl_->curl);
}

ClientResponse Client::send(const ClientRequest& request) {
  if (request.url.rfind("http://", 0) != 0 && request.url.rfind("https://", 0) != 0)
    throw FieldError("url", "only http:// and https:// URLs are fetched, got '" + request.url.substr(0, 64) + "'");
  require_header_safe(request.url, "url");
  CURL* c = impl_->curl;
  curl_easy_reset(c);  // keeps the connection cache: the next request to the same host reuses the connection
  ClientResponse response;
  Transfer t{&request, &response, c};
  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
  // Bodies go as they are: no "Expect: 100-continue" round trip.
  headers = curl_slist_append(headers, "Expect:");
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "edgeml/0.2");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, millis(request.timeout_s));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, millis(request.connect_timeout_s));
  if (request.stall_timeout_s > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stall_timeout_s + 0.5));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  if (request.on_progress) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  }
  if (request.resume_from > 0)
    curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(request.resume_from));
  if (request.method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }
  const auto& tls = impl_->tls;
  if (!tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, tls.key_file.c_str());
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);

  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  response.status = static_cast<int>(status);
  if (t.too_large)
    throw Error(ErrorKind::too_large, "answer from " + without_query(request.url) + " is larger than " +
                                          std::to_string(request.max_body_bytes) + " bytes");
  if (rc == CURLE_WRITE_ERROR && response.aborted_by_callback) return response;
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw Error(ErrorKind::upstream_timeout,
                without_query(request.url) + " did not answer in time (" + curl_easy_strerror(rc) + ")");
  if (rc != CURLE_OK)
    throw Error(ErrorKind::upstream_failed, without_query(request.url) + ": " + curl_easy_strerror(rc));
  return response;
}

}  // namespace edgeml::http
