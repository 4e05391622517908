#pragma once
// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Columns are looked up by name, so files whose columns
// come in another order, or with extra columns, read the same.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace edgeml {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // each row padded/truncated to header.size()
  std::vector<int> row_lines;                  // 1-based line number where each row starts (for error messages)

  // Index of a column by exact (trimmed, case-insensitive) name, or nullopt.
  std::optional<size_t> column(std::string_view name) const;
};

// Throws std::runtime_error naming the line on an unterminated quote.
CsvTable parse_csv(std::string_view text);
// Throws std::runtime_error naming the file when it cannot be read.
CsvTable read_csv(const std::filesystem::path& path);

// Quotes a field when it holds a separator, a quote or a newline.
std::string csv_escape(std::string_view field);

}  // namespace edgeml
