#include "catalog/row_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "catalog/catalog.hpp"
#include "catalog/row_columns.hpp"
#include "catalog/row_import.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"

namespace edgeml::catalog {

std::string row_record(const ModelRow& row) {
  nlohmann::json cells = nlohmann::json::object();
  for (const auto& [column, cell] : row_cells(row))
    if (!cell.empty()) cells[column] = cell;
  nlohmann::json p = provenance_to_json(row.provenance);
  p.erase("origin");
  for (auto it = p.begin(); it != p.end();) it = it.value().is_null() ? p.erase(it) : std::next(it);
  return nlohmann::json{{"device_type", row.device_type},
                        {"origin", row.provenance.origin},
                        {"provenance", p},
                        {"rows", nlohmann::json::array({cells})}}
      .dump();
}

ModelRow row_from_record(const std::string& line) {
  auto j = nlohmann::json::parse(line);
  Provenance base;
  base.origin = j.at("origin").get<std::string>();
  if (base.origin != kOriginFleet && base.origin != kOriginApi && base.origin != kOriginFile)
    throw std::runtime_error("unknown origin '" + base.origin + "'");
  j.erase("origin");
  auto batch = rows_from_json(j, base);
  return std::move(batch.rows.at(0));
}

JsonLinesRowStore::JsonLinesRowStore(std::filesystem::path file) : file_(std::move(file)) {
  if (file_.has_parent_path()) std::filesystem::create_directories(file_.parent_path());
}

void JsonLinesRowStore::append(const std::vector<ModelRow>& rows) {
  std::string text;
  for (const auto& r : rows) text += row_record(r) + "\n";
  std::lock_guard lock(mu_);
  const bool existed = std::filesystem::exists(file_);
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error(file_.string() + ": cannot open for appending: " + std::strerror(errno));
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      throw std::runtime_error(file_.string() + ": write failed: " + why);
    }
    off += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw std::runtime_error(file_.string() + ": fsync failed");
  if (!existed && file_.has_parent_path()) fsync_dir(file_.parent_path());
}

RowSource::Loaded JsonLinesRowStore::load() const {
  Loaded out;
  std::lock_guard lock(mu_);
  if (!std::filesystem::exists(file_)) return out;
  const std::string text = read_file(file_);
  int line_no = 0;
  for (const auto& line : split(text, '\n')) {
    ++line_no;
    if (trim(line).empty()) continue;
    try {
      ModelRow row = row_from_record(line);
      row.line = line_no;
      out.rows.push_back(std::move(row));
    } catch (const std::exception& e) {
      out.skipped.push_back(file_.filename().string() + " line " + std::to_string(line_no) + ": " + e.what());
    }
  }
  return out;
}

}  // namespace edgeml::catalog
