#pragma once
// Files that hold secrets (the master key, an agent's credentials): owner-only from the moment they exist, replaced
// atomically, and refused when someone loosened their mode -- as ssh does with private keys.
#include <filesystem>
#include <string>
#include <string_view>

namespace edgeml::secrets {

// Creates or replaces `path` with mode 0600 (a temporary file opened 0600, fsynced, renamed over it, folder fsynced):
// never readable by others, never half-written. Throws Error(unavailable, field = the path) on failure.
void write_secret_file(const std::filesystem::path& path, std::string_view bytes);

// Like write_secret_file, but only when `path` does not exist yet (link(2) of the finished temporary file, so two
// processes starting at once agree on one content). Returns false, changing nothing, when the file already exists.
bool create_secret_file(const std::filesystem::path& path, std::string_view bytes);

// Throws NotFoundError(field = the path) when the file is missing, and Error(unavailable) when it can be read or
// written by group or others, with the chmod command that fixes it.
std::string read_secret_file(const std::filesystem::path& path);

}  // namespace edgeml::secrets
