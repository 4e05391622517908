#include "catalog/live_catalog.hpp"

#include <set>

namespace edgeml::catalog {

LiveCatalog::LiveCatalog(Catalog base, RowSink* sink)
    : sink_(sink), current_(std::make_shared<const Catalog>(std::move(base))) {}

std::shared_ptr<const Catalog> LiveCatalog::snapshot() const {
  std::lock_guard lock(snapshot_mu_);
  return current_;
}

std::uint64_t LiveCatalog::version() const {
  std::lock_guard lock(snapshot_mu_);
  return version_;
}

AddResult LiveCatalog::add(std::vector<ModelRow> rows) {
  std::lock_guard writer(write_mu_);
  if (sink_ && !rows.empty()) sink_->append(rows);  // durable first: a crash after this reloads them
  return add_unpersisted(std::move(rows));
}

std::vector<std::string> LiveCatalog::restore(const RowSource& source) {
  auto loaded = source.load();
  std::lock_guard writer(write_mu_);
  add_unpersisted(std::move(loaded.rows));
  return loaded.skipped;
}

AddResult LiveCatalog::add_unpersisted(std::vector<ModelRow> rows) {
  auto next = std::make_shared<Catalog>(*snapshot());
  AddResult result;
  result.rows = nlohmann::json::array();
  std::set<std::string> devices;
  const size_t first = next->rows().size();
  for (auto& r : rows) next->add(std::move(r));
  for (size_t i = first; i < next->rows().size(); ++i) {
    const ModelRow& r = next->rows()[i];
    ++result.added;
    if (r.clean()) {
      ++result.clean;
      devices.insert(r.device_type);
    } else {
      ++result.flagged;
    }
    result.repaired += r.repaired();
    result.rows.push_back(row_to_json(r));
  }
  result.device_types.assign(devices.begin(), devices.end());
  std::lock_guard lock(snapshot_mu_);
  current_ = std::move(next);
  result.version = ++version_;
  return result;
}

}  // namespace edgeml::catalog
