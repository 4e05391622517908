#pragma once
// File helpers whose guarantees the rest of the system relies on: a file replaced with write_file_atomic is either
// the old or the new content after a crash or power loss, never a mix.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace edgeml {

std::string read_file(const std::filesystem::path& path);  // throws std::runtime_error naming the file

// Writes to "<path>.tmp-<pid>", fsyncs it, renames it over path, fsyncs the folder.
void write_file_atomic(const std::filesystem::path& path, std::string_view bytes);

// fsync a folder so that a rename inside it survives a crash.
void fsync_dir(const std::filesystem::path& dir);

// Bytes available to an unprivileged writer on the file system holding path (statvfs f_bavail * f_frsize).
std::uint64_t free_bytes(const std::filesystem::path& path);

}  // namespace edgeml
