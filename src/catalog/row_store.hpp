#pragma once
// Persistence of rows added at run time (fleet and API rows), so they survive restarts. The controller's store will
// implement RowSink/RowSource on its database; JsonLinesRowStore is the file-backed implementation until then.
// Rows are stored as measured (a repair's original values restored) so the same rules re-apply when they reload.
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "catalog/model_row.hpp"

namespace edgeml::catalog {

class RowSink {
 public:
  virtual ~RowSink() = default;
  // Durable when it returns (the rows reload after a crash); throws on failure, and then nothing was stored.
  virtual void append(const std::vector<ModelRow>& rows) = 0;
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  struct Loaded {
    std::vector<ModelRow> rows;        // not yet validated: add them to a Catalog
    std::vector<std::string> skipped;  // "line 7: ..." for records that could not be read
  };
  virtual Loaded load() const = 0;
};

// One JSON object per line: {"device_type", "provenance": {...}, "row": {column: cell}}. A batch is written with one
// write() of whole lines followed by fsync; a torn last line (crash mid-write) is skipped on load and reported.
class JsonLinesRowStore final : public RowSink, public RowSource {
 public:
  explicit JsonLinesRowStore(std::filesystem::path file);
  void append(const std::vector<ModelRow>& rows) override;
  Loaded load() const override;
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  mutable std::mutex mu_;
};

// The stored record of one row, and back (through rows_from_json, so it is read like any API row).
std::string row_record(const ModelRow& row);
ModelRow row_from_record(const std::string& line);

}  // namespace edgeml::catalog
