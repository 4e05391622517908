#include "predictor/xgb_booster.hpp"

#include <xgboost/c_api.h>

#include <cstdio>
#include <limits>
#include <stdexcept>

namespace edgeml::predictor {

namespace {

void check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string("xgboost ") + what + ": " + XGBGetLastError());
}

// Frees a DMatrix on scope exit.
struct DMatrixGuard {
  DMatrixHandle h = nullptr;
  ~DMatrixGuard() {
    if (h) XGDMatrixFree(h);
  }
};

// In 1.7.4 the in-place predict config must carry "cache_id": 0 (else "Invalid cast, from Null to Integer").
constexpr const char* kPredictConfig =
    R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false,)"
    R"( "cache_id": 0, "missing": NaN})";

}  // namespace

XgbBooster::~XgbBooster() {
  if (handle_) XGBoosterFree(handle_);
}

XgbBooster::XgbBooster(XgbBooster&& o) noexcept : handle_(o.handle_), dims_(o.dims_), trees_(std::move(o.trees_)) {
  o.handle_ = nullptr;
}

XgbBooster& XgbBooster::operator=(XgbBooster&& o) noexcept {
  if (this != &o) {
    if (handle_) XGBoosterFree(handle_);
    handle_ = o.handle_;
    dims_ = o.dims_;
    trees_ = std::move(o.trees_);
    o.handle_ = nullptr;
  }
  return *this;
}

XgbBooster XgbBooster::train(const std::vector<float>& x, size_t n, size_t d, const std::vector<float>& y,
                             const XgbParams& p) {
  if (n == 0 || d == 0 || x.size() != n * d || y.size() != n) throw std::invalid_argument("xgboost train: bad shapes");
  DMatrixGuard dm;
  check(XGDMatrixCreateFromMat_omp(x.data(), n, d, std::numeric_limits<float>::quiet_NaN(), &dm.h, 1), "DMatrix");
  check(XGDMatrixSetFloatInfo(dm.h, "label", y.data(), n), "labels");
  XgbBooster b;
  b.dims_ = d;
  check(XGBoosterCreate(&dm.h, 1, &b.handle_), "create");
  check(XGBoosterSetParam(b.handle_, "nthread", "1"), "nthread");
  check(XGBoosterSetParam(b.handle_, "verbosity", "0"), "verbosity");
  for (const auto& [k, v] : p.params) check(XGBoosterSetParam(b.handle_, k.c_str(), v.c_str()), k.c_str());
  for (int i = 0; i < p.rounds; ++i) check(XGBoosterUpdateOneIter(b.handle_, i, dm.h), "update");
  b.flatten();
  return b;
}

void XgbBooster::flatten() {
  bst_ulong len = 0;
  const char* data = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &len, &data), "dump");
  trees_ = TreeEnsemble::from_xgboost_json(std::string(data, len));
}

double XgbBooster::predict_with_xgboost(const float* row) const {
  // __array_interface__ of one row; the pointer is the caller's buffer (no copy).
  char iface[192];
  std::snprintf(iface, sizeof iface, R"({"data": [%llu, true], "shape": [1, %zu], "typestr": "<f4", "version": 3})",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(row)), dims_);
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  check(XGBoosterPredictFromDense(handle_, iface, kPredictConfig, nullptr, &shape, &dim, &out), "predict");
  return out[0];
}

std::string XgbBooster::save_ubj() const {
  bst_ulong len = 0;
  const char* data = nullptr;
  check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "ubj"})", &len, &data), "save");
  return std::string(data, len);
}

XgbBooster XgbBooster::load_ubj(const std::string& bytes, size_t dims) {
  XgbBooster b;
  b.dims_ = dims;
  check(XGBoosterCreate(nullptr, 0, &b.handle_), "create");
  check(XGBoosterLoadModelFromBuffer(b.handle_, bytes.data(), bytes.size()), "load");
  check(XGBoosterSetParam(b.handle_, "nthread", "1"), "nthread");
  b.flatten();
  return b;
}

}  // namespace edgeml::predictor
