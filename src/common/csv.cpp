#include "common/csv.hpp"

#include <stdexcept>

#include "common/files.hpp"
#include "common/strings.hpp"

namespace edgeml {

std::optional<size_t> CsvTable::column(std::string_view name) const {
  const std::string want = to_lower(trim(name));
  for (size_t i = 0; i < header.size(); ++i)
    if (to_lower(trim(header[i])) == want) return i;
  return std::nullopt;
}

CsvTable parse_csv(std::string_view text) {
  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false, field_started = false;
  int line = 1, record_line = 1;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM

  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_started = false;
    bool blank = record.size() == 1 && trim(record[0]).empty();
    if (!blank) {
      records.push_back(std::move(record));
      lines.push_back(record_line);
    }
    record.clear();
  };

  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\r') {
      // CR of CRLF: ignored; a lone CR is treated as whitespace.
    } else if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) throw std::runtime_error("unterminated quoted field starting on line " + std::to_string(record_line));
  if (field_started || !record.empty()) end_record();

  CsvTable t;
  if (records.empty()) return t;
  t.header = std::move(records.front());
  for (auto& h : t.header) h = std::string(trim(h));
  for (size_t r = 1; r < records.size(); ++r) {
    records[r].resize(t.header.size());
    t.rows.push_back(std::move(records[r]));
    t.row_lines.push_back(lines[r]);
  }
  return t;
}

CsvTable read_csv(const std::filesystem::path& path) {
  try {
    return parse_csv(read_file(path));
  } catch (const std::exception& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
}

std::string csv_escape(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace edgeml
