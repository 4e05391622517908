#include "controller/model_rows_json.hpp"

#include <map>

namespace edgeml::controller {

namespace {
std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

nlohmann::json model_row_json(const catalog::ModelRow& row) {
  auto j = catalog::row_to_json(row);
  j["name"] = row.model;
  j["latency_s"] = row.latency_avg_s ? nlohmann::json(*row.latency_avg_s) : nlohmann::json();
  return j;
}

RowTexts::RowTexts(std::shared_ptr<const catalog::Catalog> snapshot) : snapshot_(std::move(snapshot)) {
  text_.reserve(snapshot_->rows().size());
  for (const auto& r : snapshot_->rows()) {
    std::string t = dump(model_row_json(r));
    t.pop_back();  // the closing brace: the availability fields follow
    text_.push_back(std::move(t));
  }
}

std::string RowTexts::array(const std::vector<const catalog::ModelRow*>& rows,
                            ArtifactAvailability& availability) const {
  std::map<std::string, std::string> per_model;  // a model on several devices is looked up once
  std::string out = "[";
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    out += text_[static_cast<size_t>(rows[i] - snapshot_->rows().data())];
    auto [it, added] = per_model.try_emplace(rows[i]->model);
    if (added) {
      it->second = availability.json_text(rows[i]->model);
      it->second.front() = ',';  // its fields continue the row's object
    }
    out += it->second;
  }
  return out + "]";
}

std::shared_ptr<const RowTexts> RowTextCache::get(const std::shared_ptr<const catalog::Catalog>& snapshot) {
  std::lock_guard lock(mu_);
  if (!current_ || &current_->catalog() != snapshot.get()) current_ = std::make_shared<const RowTexts>(snapshot);
  return current_;
}

}  // namespace edgeml::controller
