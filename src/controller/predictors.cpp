#include "controller/predictors.hpp"

#include "common/log.hpp"

namespace edgeml::controller {

LivePredictors::LivePredictors(std::filesystem::path dir, const Clock& clock, predictor::TrainSettings train)
    : dir_(std::move(dir)), clock_(clock), train_(std::move(train)) {
  if (!dir_.empty()) std::filesystem::create_directories(dir_);
}

LivePredictors::~LivePredictors() { stop(); }

void LivePredictors::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    pending_.reset();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

predictor::PredictorSet LivePredictors::build(const catalog::Catalog& snapshot,
                                              const predictor::PredictorSet* previous) const {
  predictor::BuildPolicy policy;
  policy.train = train_;
  policy.train.now_s = clock_.now_s();
  policy.dir = dir_;
  auto set = predictor::PredictorSet::build(snapshot, policy, previous);
  for (const auto& name : set.devices()) {
    const auto& d = set.device(name);
    std::string measured = d.measured ? "measured ready" : "no measured predictor (" + d.measured_unavailable + ")";
    std::string stat = d.static_model ? "static ready" : "no static predictor (" + d.static_unavailable + ")";
    log::info("controller", name + ": " + measured + "; " + stat + "; " + d.calibration_note);
  }
  return set;
}

void LivePredictors::build_now(const std::shared_ptr<const catalog::Catalog>& snapshot, std::uint64_t catalog_version) {
  const double t0 = clock_.monotonic_s();
  auto set = std::make_shared<const predictor::PredictorSet>(build(*snapshot, current().get()));
  std::lock_guard lock(mu_);
  current_ = std::move(set);
  catalog_version_ = catalog_version;
  built_at_s_ = clock_.now_s();
  build_s_ = clock_.monotonic_s() - t0;
  ++builds_;
}

void LivePredictors::rebuild(std::shared_ptr<const catalog::Catalog> snapshot, std::uint64_t catalog_version,
                             std::string reason) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    pending_ = std::move(snapshot);
    pending_version_ = catalog_version;
    pending_reason_ = std::move(reason);
    if (!thread_.joinable()) thread_ = std::thread([this] { worker(); });
  }
  cv_.notify_all();
}

void LivePredictors::worker() {
  while (true) {
    std::shared_ptr<const catalog::Catalog> snapshot;
    std::uint64_t version = 0;
    std::string reason;
    std::shared_ptr<const predictor::PredictorSet> previous;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || pending_; });
      if (stopping_) return;
      snapshot = std::move(pending_);
      pending_.reset();
      version = pending_version_;
      reason = std::move(pending_reason_);
      previous = current_;
      building_ = true;
    }
    const double t0 = clock_.monotonic_s();
    std::shared_ptr<const predictor::PredictorSet> next;
    std::string error;
    try {
      log::info("controller",
                "rebuilding the predictors (catalog version " + std::to_string(version) + ": " + reason + ")");
      next = std::make_shared<const predictor::PredictorSet>(build(*snapshot, previous.get()));
    } catch (const std::exception& e) {
      error = e.what();
      log::error("controller", "rebuilding the predictors failed; the previous set stays in use: " + error);
    }
    {
      std::lock_guard lock(mu_);
      if (next) {
        current_ = std::move(next);
        catalog_version_ = version;
        built_at_s_ = clock_.now_s();
        build_s_ = clock_.monotonic_s() - t0;
        reason_ = reason;
        ++builds_;
        last_error_.clear();
      } else {
        last_error_ = error;
      }
      building_ = false;
    }
    cv_.notify_all();
  }
}

std::shared_ptr<const predictor::PredictorSet> LivePredictors::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

nlohmann::json LivePredictors::status() const {
  std::lock_guard lock(mu_);
  return {{"catalog_version", catalog_version_},
          {"built_at_s", built_at_s_ > 0 ? nlohmann::json(built_at_s_) : nlohmann::json()},
          {"build_s", build_s_},
          {"builds", builds_},
          {"reason", reason_},
          {"rebuilding", building_},
          {"pending", pending_ != nullptr},
          {"last_error", last_error_.empty() ? nlohmann::json() : nlohmann::json(last_error_)}};
}

void LivePredictors::wait_idle() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return stopping_ || (!building_ && !pending_); });
}

}  // namespace edgeml::controller
