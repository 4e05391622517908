#include "fetch/downloader.hpp"

#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "common/log.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"

namespace edgeml::fetch {

namespace fs = std::filesystem;

namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

// State of one transfer attempt, shared with libcurl's callbacks.
struct Attempt {
  CURL* curl = nullptr;
  FILE* file = nullptr;
  std::uint64_t offset = 0;   // bytes already in the .part file when the attempt started
  std::uint64_t written = 0;  // bytes written by this attempt
  std::uint64_t max_bytes = 0;
  bool started = false;  // first body byte seen (status known)
  long status = 0;
  bool restarted = false;  // server ignored our Range: the file was truncated
  bool too_large = false;
  std::string error_body;  // first bytes of a non-2xx body, for the message
  const DownloadOptions* options = nullptr;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto& a = *static_cast<Attempt*>(user);
  size_t len = size * n;
  if (!a.started) {
    a.started = true;
    curl_easy_getinfo(a.curl, CURLINFO_RESPONSE_CODE, &a.status);
    if (a.status == 200 && a.offset > 0) {
      // The server sent the whole file, not the rest: start over.
      if (std::fflush(a.file) != 0 || ftruncate(fileno(a.file), 0) != 0 || std::fseek(a.file, 0, SEEK_SET) != 0)
        return 0;
      a.offset = 0;
      a.restarted = true;
    }
  }
  if (a.status < 200 || a.status >= 300) {
    if (a.error_body.size() < 300) a.error_body.append(data, std::min<size_t>(len, 300 - a.error_body.size()));
    return len;
  }
  if (a.offset + a.written + len > a.max_bytes) {
    a.too_large = true;
    return 0;
  }
  if (std::fwrite(data, 1, len, a.file) != len) return 0;
  a.written += len;
  return len;
}

int on_progress(void* user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t, curl_off_t) {
  auto& a = *static_cast<Attempt*>(user);
  if (a.options->on_progress && a.status >= 200 && a.status < 300) {
    std::optional<std::uint64_t> total;
    if (dltotal > 0) total = a.offset + static_cast<std::uint64_t>(dltotal);
    a.options->on_progress(a.offset + static_cast<std::uint64_t>(dlnow), total);
  }
  return 0;
}

std::uint64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  auto s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// One attempt. Returns normally when the whole body is in the .part file; throws DownloadError otherwise.
void run_attempt(const std::string& url, const fs::path& part, const DownloadOptions& options, std::uint64_t& resumed) {
  static CurlGlobal global;
  Attempt a;
  a.options = &options;
  a.max_bytes = options.max_bytes;
  a.offset = file_size_or_zero(part);
  a.file = std::fopen(part.c_str(), a.offset > 0 ? "ab" : "wb");
  if (!a.file) throw DownloadError(DownloadError::Kind::local, "cannot write " + part.string());
  if (a.offset > 0) resumed = a.offset;
  a.curl = curl_easy_init();
  CURL* c = a.curl;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, options.connect_timeout_s);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, options.stall_timeout_s);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &a);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "edgeml-fetch/0.1");
  if (a.offset > 0) curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, static_cast<curl_off_t>(a.offset));
  CURLcode rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(c);
  bool flushed = std::fclose(a.file) == 0;
  if (a.too_large)
    throw DownloadError(DownloadError::Kind::too_large,
                        url + ": more than " + std::to_string(options.max_bytes) + " bytes, refused");
  if (status == 416 && a.offset > 0) {
    // Our partial file does not fit what the server has now: drop it, the next attempt starts over.
    fs::remove(part);
    throw DownloadError(DownloadError::Kind::http_status, url + ": range not satisfiable, restarting", 416);
  }
  if (status == 404 || status == 410) throw DownloadError(DownloadError::Kind::not_found, url + ": HTTP 404", status);
  if (status >= 300 || (status != 0 && status < 200))
    throw DownloadError(DownloadError::Kind::http_status,
                        url + ": HTTP " + std::to_string(status) +
                            (a.error_body.empty() ? "" : " (" + std::string(trim(a.error_body)) + ")"),
                        status);
  if (rc != CURLE_OK)
    throw DownloadError(DownloadError::Kind::network, url + ": " + curl_easy_strerror(rc) + " after " +
                                                          std::to_string(a.offset + a.written) + " bytes");
  if (!flushed) throw DownloadError(DownloadError::Kind::local, "cannot write " + part.string());
}

}  // namespace

DownloadResult download_file(const std::string& url, const fs::path& dest, const DownloadOptions& options) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    throw DownloadError(DownloadError::Kind::local, "only http:// and https:// URLs are fetched: " + url);
  if (options.sha256 && !is_sha256_hex(*options.sha256))
    throw DownloadError(DownloadError::Kind::local, "sha256 must be 64 hex digits");
  if (!dest.parent_path().empty()) fs::create_directories(dest.parent_path());
  fs::path part = dest;
  part += ".part";
  DownloadResult result;
  double wait = options.backoff_s;
  for (int attempt = 1;; ++attempt) {
    result.attempts = attempt;
    try {
      run_attempt(url, part, options, result.resumed_from);
      break;
    } catch (const DownloadError& e) {
      bool retryable = e.kind() == DownloadError::Kind::network ||
                       (e.kind() == DownloadError::Kind::http_status &&
                        (e.http_status() >= 500 || e.http_status() == 429 || e.http_status() == 416));
      if (!retryable || attempt >= options.attempts) {
        if (!retryable) fs::remove(part);  // a 404 or a refusal leaves nothing behind; a cut transfer stays resumable
        throw;
      }
      log::warn("fetch",
                std::string(e.what()) + "; retry " + std::to_string(attempt) + " in " + format_number(wait, 2) + " s");
      std::this_thread::sleep_for(std::chrono::duration<double>(wait));
      wait *= 2;
    }
  }
  result.sha256 = sha256_file(part);
  result.bytes = file_size_or_zero(part);
  if (options.sha256 && to_lower(*options.sha256) != result.sha256) {
    fs::remove(part);
    throw DownloadError(DownloadError::Kind::checksum, url + ": sha256 mismatch: expected " +
                                                           to_lower(*options.sha256) + ", got " + result.sha256 +
                                                           " (file deleted)");
  }
  fs::rename(part, dest);
  result.path = dest;
  return result;
}

std::function<void(std::uint64_t, std::optional<std::uint64_t>)> stderr_progress(const std::string& label) {
  auto last = std::make_shared<std::chrono::steady_clock::time_point>();
  return [label, last](std::uint64_t got, std::optional<std::uint64_t> total) {
    auto now = std::chrono::steady_clock::now();
    if (now - *last < std::chrono::milliseconds(500) && !(total && got == *total)) return;
    *last = now;
    std::string line = label + ": " + format_number(got / 1048576.0, 1) + " MB";
    if (total && *total > 0)
      line += " / " + format_number(*total / 1048576.0, 1) + " MB (" + std::to_string(got * 100 / *total) + "%)";
    std::fprintf(stderr, "%s\n", line.c_str());
  };
}

}  // namespace edgeml::fetch
