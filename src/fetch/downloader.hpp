#pragma once
// Downloads one file with libcurl into "<dest>.part", then verifies and renames it to dest:
//   - resume: when "<dest>.part" exists (a previous attempt was cut), the next attempt asks for the rest with a Range
//     header; a server that answers 200 instead of 206 restarts the file from zero;
//   - checksum: with an expected sha256 a mismatch deletes the file and fails (no retry: the source is wrong);
//   - timeouts: connect timeout and a stall timeout (fewer than 1 byte/s for stall_timeout_s);
//   - retries: network errors and 5xx are retried with exponential backoff; 4xx are not (404 = "not at this source").
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace edgeml::fetch {

struct DownloadOptions {
  std::optional<std::string> sha256;  // lowercase or uppercase hex
  long connect_timeout_s = 10;
  long stall_timeout_s = 30;
  int attempts = 4;        // first try + retries
  double backoff_s = 0.5;  // doubled after each failed attempt
  std::uint64_t max_bytes = 4ull << 30;
  // Called as bytes arrive: received so far (including resumed bytes), total when known.
  std::function<void(std::uint64_t received, std::optional<std::uint64_t> total)> on_progress;
};

struct DownloadResult {
  std::filesystem::path path;
  std::string sha256;
  std::uint64_t bytes = 0;
  int attempts = 0;
  std::uint64_t resumed_from = 0;  // bytes kept from an earlier cut transfer (0 = none)
};

// What went wrong, so callers can decide (try the next source on not_found, report checksum loudly).
class DownloadError : public std::runtime_error {
 public:
  enum class Kind { not_found, http_status, network, checksum, too_large, local };
  DownloadError(Kind kind, const std::string& message, long http_status = 0)
      : std::runtime_error(message), kind_(kind), http_status_(http_status) {}
  Kind kind() const { return kind_; }
  long http_status() const { return http_status_; }

 private:
  Kind kind_;
  long http_status_;
};

// Throws DownloadError. Only http:// and https:// URLs.
DownloadResult download_file(const std::string& url, const std::filesystem::path& dest, const DownloadOptions& options);

// A progress printer for command-line use: "fetch NAME: 12.3 / 45.6 MB (27%)" on stderr, at most every 0.5 s.
std::function<void(std::uint64_t, std::optional<std::uint64_t>)> stderr_progress(const std::string& label);

}  // namespace edgeml::fetch
