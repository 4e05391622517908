#pragma once
// Percentiles of a sample of values (nearest rank), for latency figures.
#include <vector>

namespace edgeml::fleetsim {

// p in [0, 100]; 0 for an empty sample. Reorders `values`.
double percentile(std::vector<double>& values, double p);

}  // namespace edgeml::fleetsim
