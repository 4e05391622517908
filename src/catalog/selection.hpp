#pragma once
// Choosing rows: listing with sort/search/paging (GET /api/models/all) and recommending the lowest-energy models
// that meet every budget, with the Pareto-optimal set over energy, latency and size (GET /api/models/recommended).
// Pure functions over the catalog: no HTTP here.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace edgeml::catalog {

struct ListQuery {
  std::string device_type;     // empty: every device
  std::string search;          // case-insensitive substring of the model name
  std::string sort = "model";  // model | energy | latency | size | params | gflops | power; "-" prefix = descending
  size_t offset = 0;
  size_t limit = 1000;
  // Rows for which this is false are left out before paging (e.g. models that cannot be deployed); empty = keep all.
  std::function<bool(const ModelRow&)> keep;
};

struct ListResult {
  std::vector<const ModelRow*> rows;  // the page
  size_t total = 0;                   // matches before paging
};

// Throws FieldError("sort") for an unknown sort key.
ListResult list_rows(const Catalog& catalog, const ListQuery& q);

struct Budgets {
  std::string device_type;
  std::optional<double> max_energy_mwh;  // per measured run, as in the catalog
  std::optional<double> max_size_mb;
  std::optional<double> max_latency_s;
  bool include_flagged = false;
  size_t limit = 10;
  // As ListQuery::keep: applied before the budgets, so the Pareto set is over the rows kept.
  std::function<bool(const ModelRow&)> keep;
};

struct Recommendation {
  std::vector<const ModelRow*> models;  // meet every budget, lowest energy first, at most limit
  std::vector<const ModelRow*> pareto;  // of all rows meeting the budgets: none better on energy, latency and size
  size_t candidates = 0;                // rows meeting the budgets before the limit
  size_t excluded_flagged = 0;          // rows left out for their flags
  size_t excluded_by_keep = 0;          // rows Budgets::keep left out
};

Recommendation recommend(const Catalog& catalog, const Budgets& b);

}  // namespace edgeml::catalog
