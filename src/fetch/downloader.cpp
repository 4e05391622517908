#include "fetch/downloader.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/sha256.hpp"
#include "common/strings.hpp"
#include "http/client.hpp"

namespace edgeml::fetch {

namespace fs = std::filesystem;

namespace {

std::uint64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  auto s = fs::file_size(p, ec);
  return ec ? 0 : s;
}

// One attempt. Returns normally when the whole body is in the .part file; throws DownloadError otherwise.
void run_attempt(const std::string& url, const fs::path& part, const DownloadOptions& options, std::uint64_t& resumed) {
  std::uint64_t offset = file_size_or_zero(part);
  std::FILE* file = std::fopen(part.c_str(), offset > 0 ? "ab" : "wb");
  if (!file) throw DownloadError(DownloadError::Kind::local, "cannot write " + part.string());
  if (offset > 0) resumed = offset;
  std::uint64_t written = 0;
  bool too_large = false, write_failed = false, truncate_failed = false;
  int status = 0;
  std::string error_body;  // first bytes of a non-2xx body, for the message
  http::ClientRequest r;
  r.url = url;
  r.follow_redirects = true;
  r.timeout_s = 0;  // a large file may take long; a stalled transfer is caught by the stall limit
  r.connect_timeout_s = static_cast<double>(options.connect_timeout_s);
  r.stall_timeout_s = static_cast<double>(options.stall_timeout_s);
  r.resume_from = offset;
  r.on_body = [&](int st, const char* data, size_t len) {
    if (status == 0) {
      status = st;
      if (status == 200 && offset > 0) {
        // The server sent the whole file, not the rest: start over.
        if (std::fflush(file) != 0 || ftruncate(fileno(file), 0) != 0 || std::fseek(file, 0, SEEK_SET) != 0) {
          truncate_failed = true;
          return false;
        }
        offset = 0;
      }
    }
    if (status < 200 || status >= 300) {
      if (error_body.size() < 300) error_body.append(data, std::min<size_t>(len, 300 - error_body.size()));
      return true;
    }
    if (offset + written + len > options.max_bytes) {
      too_large = true;
      return false;
    }
    if (std::fwrite(data, 1, len, file) != len) {
      write_failed = true;
      return false;
    }
    written += len;
    if (options.on_progress) options.on_progress(offset + written, std::nullopt);
    return true;
  };
  std::string network_error;
  try {
    http::Client client;
    auto answer = client.send(r);
    if (status == 0) status = answer.status;
    if (options.on_progress && status >= 200 && status < 300) {
      std::optional<std::uint64_t> total;
      if (auto n = parse_int(answer.headers.get("Content-Length")); n && *n >= 0)
        total = static_cast<std::uint64_t>(*n) + (status == 206 ? offset : 0);
      options.on_progress(offset + written, total);
    }
  } catch (const Error& e) {
    network_error = e.what();
  }
  bool flushed = std::fclose(file) == 0;
  if (too_large)
    throw DownloadError(DownloadError::Kind::too_large,
                        url + ": more than " + std::to_string(options.max_bytes) + " bytes, refused");
  if (write_failed || truncate_failed || !flushed)
    throw DownloadError(DownloadError::Kind::local, "cannot write " + part.string());
  if (status == 416 && offset > 0) {
    // Our partial file does not fit what the server has now: drop it, the next attempt starts over.
    fs::remove(part);
    throw DownloadError(DownloadError::Kind::http_status, url + ": range not satisfiable, restarting", 416);
  }
  if (status == 404 || status == 410) throw DownloadError(DownloadError::Kind::not_found, url + ": HTTP 404", status);
  if (status >= 300 || (status != 0 && status < 200))
    throw DownloadError(DownloadError::Kind::http_status,
                        url + ": HTTP " + std::to_string(status) +
                            (error_body.empty() ? "" : " (" + std::string(trim(error_body)) + ")"),
                        status);
  if (!network_error.empty())
    throw DownloadError(DownloadError::Kind::network,
                        network_error + " after " + std::to_string(offset + written) + " bytes");
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
