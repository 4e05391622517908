#pragma once
// A small RAII wrapper over the XGBoost C API (libxgboost-dev 1.7.4): train on a dense matrix, predict one row in
// place, save/load as UBJSON bytes. Training pins nthread and the seed so results are reproducible.
// One booster may serve predictions from many threads at once (XGBoost keeps its result buffer thread-local);
// it must not be trained or re-configured meanwhile.
// Never keep a booster in static storage (a function-local static, a global): at exit XGBoost's thread-local tables
// are destroyed before statics, and freeing a booster after that reads freed memory (seen with valgrind).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "predictor/tree_ensemble.hpp"

namespace edgeml::predictor {

struct XgbParams {
  std::map<std::string, std::string> params;  // booster parameters, e.g. {"max_depth","3"}
  int rounds = 100;
};

class XgbBooster {
 public:
  XgbBooster() = default;
  ~XgbBooster();
  XgbBooster(XgbBooster&& o) noexcept;
  XgbBooster& operator=(XgbBooster&& o) noexcept;
  XgbBooster(const XgbBooster&) = delete;
  XgbBooster& operator=(const XgbBooster&) = delete;

  // x: n x d row-major. Throws std::runtime_error with XGBoost's message on failure.
  static XgbBooster train(const std::vector<float>& x, size_t n, size_t d, const std::vector<float>& y,
                          const XgbParams& p);
  // One row of `dims()` values, through the flattened trees (no XGBoost call, no allocation).
  double predict(const float* row) const { return trees_.predict(row); }
  // The same through XGBoost's in-place predict (used to check the flattened trees).
  double predict_with_xgboost(const float* row) const;
  size_t dims() const { return dims_; }

  std::string save_ubj() const;
  static XgbBooster load_ubj(const std::string& bytes, size_t dims);

 private:
  void flatten();           // builds trees_ from the booster's JSON dump
  void* handle_ = nullptr;  // BoosterHandle
  size_t dims_ = 0;
  TreeEnsemble trees_;
};

}  // namespace edgeml::predictor
