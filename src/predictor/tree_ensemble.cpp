#include "predictor/tree_ensemble.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace edgeml::predictor {

TreeEnsemble TreeEnsemble::from_xgboost_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text);
  const auto& learner = j.at("learner");
  if (learner.at("objective").at("name").get<std::string>() != "reg:squarederror")
    throw std::runtime_error("tree ensemble: only reg:squarederror models are supported");
  const auto& param = learner.at("learner_model_param");
  if (param.value("num_target", "1") != "1" || param.value("num_class", "0") != "0")
    throw std::runtime_error("tree ensemble: multi-output models are not supported");
  TreeEnsemble e;
  e.base_score_ = std::stof(param.at("base_score").get<std::string>());
  for (const auto& t : learner.at("gradient_booster").at("model").at("trees")) {
    if (!t.at("categories_nodes").empty()) throw std::runtime_error("tree ensemble: categorical splits");
    const auto& left = t.at("left_children");
    const auto& right = t.at("right_children");
    const auto& feat = t.at("split_indices");
    const auto& cond = t.at("split_conditions");
    const auto& defl = t.at("default_left");
    const int offset = static_cast<int>(e.nodes_.size());
    e.roots_.push_back(offset);
    for (size_t i = 0; i < left.size(); ++i) {
      Node n;
      const int l = left[i].get<int>(), r = right[i].get<int>();
      n.left = l < 0 ? -1 : l + offset;
      n.right = r < 0 ? -1 : r + offset;
      n.feature = feat[i].get<unsigned>();
      n.value = cond[i].get<float>();
      n.default_left = defl[i].get<int>() != 0;
      e.nodes_.push_back(n);
    }
  }
  return e;
}

float TreeEnsemble::predict(const float* row) const {
  float sum = base_score_;
  for (int root : roots_) {
    const Node* n = &nodes_[static_cast<size_t>(root)];
    while (n->left >= 0) {
      const float v = row[n->feature];
      const int next = std::isnan(v) ? (n->default_left ? n->left : n->right) : (v < n->value ? n->left : n->right);
      n = &nodes_[static_cast<size_t>(next)];
    }
    sum += n->value;
  }
  return sum;
}

}  // namespace edgeml::predictor
