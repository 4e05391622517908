#pragma once
// A model file being received (downloaded or uploaded). Bytes go to a temporary file in the destination folder while
// they are hashed; nothing is visible under the final name until finish() has fsynced it and commit() has renamed it.
// Destroying an uncommitted IncomingFile deletes the temporary file, so a failed transfer leaves no trace.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/sha256.hpp"

namespace edgeml::agent {

// Temporary files carry this prefix so a restart can find and delete the ones a crash left behind.
inline constexpr const char* kIncomingPrefix = ".incoming-";

class IncomingFile {
 public:
  // Creates "<dir>/.incoming-<unique>". max_bytes: the transfer is refused (Error(413)) past this size.
  IncomingFile(const std::filesystem::path& dir, std::uint64_t max_bytes);
  ~IncomingFile();
  IncomingFile(const IncomingFile&) = delete;
  IncomingFile& operator=(const IncomingFile&) = delete;

  // Appends bytes. Throws Error(507) when the disk is full, 413 past max_bytes.
  void write(const char* data, size_t size);
  std::uint64_t bytes() const { return bytes_; }
  // Empties the file to start the transfer over (a server that ignored our Range and sent the whole file again).
  void restart();
  // fsyncs and closes; returns the lowercase sha256 of everything written. Call once.
  std::string finish();
  // Renames into place (atomic within the folder) and fsyncs the folder. After this the destructor keeps the file.
  void commit(const std::filesystem::path& final_path);
  const std::filesystem::path& temp_path() const { return tmp_; }

 private:
  std::filesystem::path tmp_;
  int fd_ = -1;
  std::uint64_t max_bytes_;
  std::uint64_t bytes_ = 0;
  std::unique_ptr<Sha256> hash_ = std::make_unique<Sha256>();
  bool committed_ = false;
};

}  // namespace edgeml::agent
