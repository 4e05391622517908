#pragma once
// The abtests table (schema version 6): an A/B test of two models, each deployed to its own devices (its arm), the
// metric compared, when it started (samples count from then), and the model promoted to both arms once decided.
#include <optional>
#include <string>
#include <vector>

#include "store/table.hpp"

namespace edgeml::store {

struct AbTestRecord {
  long long id = 0;
  std::string model_a, model_b;
  std::string devices_a, devices_b;  // device names, comma-separated (names follow common/names: no commas)
  std::string metric;                // energy_per_inference_mj | inference_p50_s
  double started_at = 0;
  std::optional<long long> rollout_a, rollout_b;
  std::string promoted_model;  // "" until promoted
  std::optional<long long> promoted_rollout;
  std::optional<double> promoted_at;
};

const Table<AbTestRecord>& abtests_table();

class AbTestStore {
 public:
  explicit AbTestStore(Database& db) : db_(db) {}
  long long add(const AbTestRecord& r);  // returns the id
  void update(const AbTestRecord& r);
  std::optional<AbTestRecord> get(long long id);
  std::vector<AbTestRecord> all();  // newest first

 private:
  Database& db_;
};

}  // namespace edgeml::store
