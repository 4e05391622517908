#pragma once
// Catalog rows as the controller's model routes show them: catalog::row_to_json plus the original API's names (name,
// latency_s) and, per model, whether it can be deployed and with what weights (artifact_availability.hpp). Rows are
// serialized once per catalog snapshot and joined from text (building and dumping 150 JSON objects per request was
// most of /api/models/all's time); only the availability, which changes with the artifact store, is added per request.
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "controller/artifact_availability.hpp"

namespace edgeml::controller {

// row_to_json(row) with "name" (= model) and "latency_s" (= latency_avg_s), the original system's field names.
nlohmann::json model_row_json(const catalog::ModelRow& row);

class RowTexts {
 public:
  explicit RowTexts(std::shared_ptr<const catalog::Catalog> snapshot);
  const catalog::Catalog& catalog() const { return *snapshot_; }
  // A JSON array of the rows (pointers into this snapshot), each with its model's availability.
  std::string array(const std::vector<const catalog::ModelRow*>& rows, ArtifactAvailability& availability) const;

 private:
  std::shared_ptr<const catalog::Catalog> snapshot_;
  std::vector<std::string> text_;  // each row's object without its closing brace
};

// The texts of the newest snapshot, rebuilt when the catalog has changed.
class RowTextCache {
 public:
  std::shared_ptr<const RowTexts> get(const std::shared_ptr<const catalog::Catalog>& snapshot);

 private:
  std::mutex mu_;
  std::shared_ptr<const RowTexts> current_;
};

}  // namespace edgeml::controller
