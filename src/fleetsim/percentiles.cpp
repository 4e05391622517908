#include "fleetsim/percentiles.hpp"

#include <algorithm>
#include <cmath>

namespace edgeml::fleetsim {

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  auto rank = static_cast<std::size_t>(std::ceil(std::clamp(p, 0.0, 100.0) / 100 * static_cast<double>(v.size())));
  auto k = rank == 0 ? 0 : rank - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace edgeml::fleetsim
