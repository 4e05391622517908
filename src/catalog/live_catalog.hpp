#pragma once
// The catalog a running service serves while rows keep arriving (fleet benchmarks, POST /api/catalog/rows).
// Copy-on-write: readers take a snapshot (a shared_ptr to an immutable Catalog, whose row pointers stay valid as long
// as they hold it); add() persists the new rows first, then builds the next catalog and swaps it in. Many readers,
// one writer at a time; a reader never waits for validation or disk writes.
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/row_store.hpp"

namespace edgeml::catalog {

struct AddResult {
  size_t added = 0, clean = 0, flagged = 0, repaired = 0;
  std::uint64_t version = 0;              // catalog version after the add
  nlohmann::json rows;                    // each added row as row_to_json shows it (flags, repairs, provenance)
  std::vector<std::string> device_types;  // device types that received clean rows (to recalibrate)
};

class LiveCatalog {
 public:
  // sink may be null (rows then live in memory only, and the answer says nothing was persisted).
  explicit LiveCatalog(Catalog base, RowSink* sink = nullptr);

  std::shared_ptr<const Catalog> snapshot() const;
  std::uint64_t version() const;

  // Rows not yet validated (rows_from_json/rows_from_csv or bench::to_model_row). Persists them (throws, adding
  // nothing, when the sink fails), validates them like file rows, and publishes the new catalog.
  AddResult add(std::vector<ModelRow> rows);

  // At startup: the rows a RowSource kept, added without persisting them again. Returns what load() skipped.
  std::vector<std::string> restore(const RowSource& source);

 private:
  AddResult add_unpersisted(std::vector<ModelRow> rows);
  RowSink* sink_;
  std::mutex write_mu_;             // one writer at a time
  mutable std::mutex snapshot_mu_;  // guards current_ and version_ (held only to copy/replace a pointer)
  std::shared_ptr<const Catalog> current_;
  std::uint64_t version_ = 0;
};

}  // namespace edgeml::catalog
