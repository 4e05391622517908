#pragma once
// A trained XGBoost tree ensemble (squared-error regression, numeric splits) flattened into plain arrays, so one
// prediction is a few hundred array reads with no C-API call, no JSON and no allocation. XGBoost's in-place predict
// costs about 25 us of CPU per call in libxgboost 1.7.4 whatever the tree count; this walk costs about 1 us.
// Built from the booster's own JSON dump and checked against XGBoost's predictions in the tests.
#include <string>
#include <vector>

namespace edgeml::predictor {

class TreeEnsemble {
 public:
  // From XGBoost's JSON model (XGBoosterSaveModelToBuffer {"format":"json"}). Throws std::runtime_error on a model
  // this evaluator does not support (categorical splits, multi-output, another objective than reg:squarederror).
  static TreeEnsemble from_xgboost_json(const std::string& json);
  // Same order of float additions as XGBoost's CPU predictor: base_score, then each tree's leaf.
  float predict(const float* row) const;
  size_t trees() const { return roots_.size(); }

 private:
  struct Node {
    int left = -1, right = -1;  // -1: leaf
    unsigned feature = 0;
    float value = 0;  // split threshold (go left when x < value), or the leaf's output
    bool default_left = false;
  };
  float base_score_ = 0;
  std::vector<Node> nodes_;
  std::vector<int> roots_;
};

}  // namespace edgeml::predictor
