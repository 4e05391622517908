#include "catalog/selection.hpp"

#include <algorithm>
#include <functional>
#include <limits>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::catalog {

namespace {

using Key = std::function<std::optional<double>(const ModelRow&)>;

Key numeric_key(const std::string& name) {
  if (name == "energy") return [](const ModelRow& r) { return r.energy_avg_mwh; };
  if (name == "latency") return [](const ModelRow& r) { return r.latency_avg_s; };
  if (name == "size") return [](const ModelRow& r) { return r.size_mb; };
  if (name == "params") return [](const ModelRow& r) { return r.params_m; };
  if (name == "gflops") return [](const ModelRow& r) { return r.gflops; };
  if (name == "power") return [](const ModelRow& r) { return r.avg_power_w; };
  return nullptr;
}

// Rows without the value sort last whatever the direction: a missing figure is not "smallest".
bool less_by(const Key& key, bool desc, const ModelRow* a, const ModelRow* b) {
  auto va = key(*a), vb = key(*b);
  if (va.has_value() != vb.has_value()) return va.has_value();
  if (va && vb && *va != *vb) return desc ? *va > *vb : *va < *vb;
  return a->model < b->model;
}

// Latency: a row of the RPi5 schema has no per-inference latency; it never passes a latency budget.
bool dominates(const ModelRow& a, const ModelRow& b) {
  const double inf = std::numeric_limits<double>::infinity();
  double ea = a.energy_avg_mwh.value_or(inf), eb = b.energy_avg_mwh.value_or(inf);
  double la = a.latency_avg_s.value_or(inf), lb = b.latency_avg_s.value_or(inf);
  double sa = a.size_mb.value_or(inf), sb = b.size_mb.value_or(inf);
  return ea <= eb && la <= lb && sa <= sb && (ea < eb || la < lb || sa < sb);
}

}  // namespace

ListResult list_rows(const Catalog& catalog, const ListQuery& q) {
  std::vector<const ModelRow*> rows;
  for (const auto* r : catalog.rows_for(q.device_type))
    if ((q.search.empty() || contains_ci(r->model, q.search)) && (!q.keep || q.keep(*r))) rows.push_back(r);

  bool desc = !q.sort.empty() && q.sort[0] == '-';
  std::string key = desc ? q.sort.substr(1) : q.sort;
  if (key == "model" || key == "name") {
    std::stable_sort(rows.begin(), rows.end(),
                     [desc](auto* a, auto* b) { return desc ? a->model > b->model : a->model < b->model; });
  } else if (auto k = numeric_key(key)) {
    std::stable_sort(rows.begin(), rows.end(), [&](auto* a, auto* b) { return less_by(k, desc, a, b); });
  } else {
    throw FieldError("sort",
                     "sort must be one of model, energy, latency, size, params, gflops, power (prefix - for "
                     "descending), got '" +
                         q.sort + "'");
  }
  ListResult out;
  out.total = rows.size();
  if (q.offset < rows.size()) {
    auto end = rows.begin() + static_cast<long>(std::min(rows.size(), q.offset + q.limit));
    out.rows.assign(rows.begin() + static_cast<long>(q.offset), end);
  }
  return out;
}

Recommendation recommend(const Catalog& catalog, const Budgets& b) {
  Recommendation rec;
  std::vector<const ModelRow*> ok;
  for (const auto* r : catalog.rows_for(b.device_type)) {
    if (!r->energy_avg_mwh) continue;  // nothing to recommend on without a measured energy
    if (b.keep && !b.keep(*r)) {
      ++rec.excluded_by_keep;
      continue;
    }
    if (b.max_energy_mwh && *r->energy_avg_mwh > *b.max_energy_mwh) continue;
    if (b.max_size_mb && (!r->size_mb || *r->size_mb > *b.max_size_mb)) continue;
    if (b.max_latency_s && (!r->latency_avg_s || *r->latency_avg_s > *b.max_latency_s)) continue;
    if (!r->clean() && !b.include_flagged) {
      ++rec.excluded_flagged;
      continue;
    }
    ok.push_back(r);
  }
  auto by_energy = numeric_key("energy");
  std::sort(ok.begin(), ok.end(), [&](auto* x, auto* y) { return less_by(by_energy, false, x, y); });
  rec.candidates = ok.size();
  for (const auto* r : ok) {
    bool dominated = std::any_of(ok.begin(), ok.end(), [&](auto* o) { return o != r && dominates(*o, *r); });
    if (!dominated) rec.pareto.push_back(r);
  }
  rec.models.assign(ok.begin(), ok.begin() + static_cast<long>(std::min(ok.size(), b.limit)));
  return rec;
}

}  // namespace edgeml::catalog
