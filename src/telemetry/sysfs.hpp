#pragma once
// Reading sysfs/procfs attribute files: one value per file, text with a trailing newline. Readers must tell "absent"
// from "present but unreadable" (RAPL's energy_uj is root-only since Linux 5.10), so a read returns the errno too.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace edgeml::telemetry {

struct FileText {
  std::optional<std::string> text;  // trimmed content; nullopt when the file could not be read
  int error = 0;                    // errno of the failed open/read (ENOENT, EACCES, ...), 0 on success
};

// Device-tree properties (of_node/name) end in a NUL byte rather than a newline: both are trimmed.
FileText read_attribute(const std::filesystem::path& path);

// "cannot read <path>: Permission denied" -- the reason given for a series whose file exists but fails.
std::string read_problem(const std::filesystem::path& path, int error);

// Trimmed text, or nullopt when missing/unreadable.
std::optional<std::string> read_text(const std::filesystem::path& path);
// Whole-file number, or nullopt when missing, unreadable or not a number ("N/A", "", "12abc").
std::optional<double> read_number(const std::filesystem::path& path);

// Text from a file or a command, made safe to put in a reason: at most max_chars, bytes outside printable ASCII
// replaced by '?' (a JSON dump of invalid UTF-8 would fail).
std::string printable(std::string_view text, size_t max_chars = 80);

// A number with the reason it is missing, for series that must say why they are unavailable.
struct NumberRead {
  std::optional<double> value;
  std::string problem;  // "cannot read <path>: No such file or directory", "<path> holds \"N/A\", not a number"
};
NumberRead read_number_or_problem(const std::filesystem::path& path);

// Entries of dir whose file name starts with prefix, sorted by name with numbers compared as numbers
// (thermal_zone2 before thermal_zone10). Empty when dir does not exist. Follows symlinks like sysfs needs.
std::vector<std::filesystem::path> list_entries(const std::filesystem::path& dir, const std::string& prefix);

// "in12_input" with prefix "in" and suffix "_input" -> 12; nullopt when the middle is not a plain number.
std::optional<int> channel_number(const std::string& file_name, const std::string& prefix, const std::string& suffix);

}  // namespace edgeml::telemetry
