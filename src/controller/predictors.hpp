#pragma once
// The controller's predictors, kept in step with a catalog that grows while it runs. The first set is built at start
// (saved models are reused when their fingerprint matches the rows, else trained). When clean rows arrive, a new set
// is built from a catalog snapshot on a background thread -- PredictorSet::build reuses every model whose rows did not
// change, recalibrates on fresh rows, retrains when there are enough of them -- and swapped in. A request keeps the
// set it took (shared_ptr) for as long as it needs it, and never waits for a build.
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "catalog/catalog.hpp"
#include "common/clock.hpp"
#include "predictor/predictor_set.hpp"

namespace edgeml::controller {

class LivePredictors {
 public:
  // dir: where models are saved and looked up ("" = neither). The clock stamps trained_at_s and calibrations.
  LivePredictors(std::filesystem::path dir, const Clock& clock, predictor::TrainSettings train = {});
  ~LivePredictors();  // waits for a build in progress (training cannot be interrupted half-way)

  // The start-up build, on the caller's thread.
  void build_now(const std::shared_ptr<const catalog::Catalog>& snapshot, std::uint64_t catalog_version);
  // Asks for a new set built from this snapshot and returns at once. Requests that arrive while a build runs collapse
  // into one build of the newest snapshot.
  void rebuild(std::shared_ptr<const catalog::Catalog> snapshot, std::uint64_t catalog_version, std::string reason);

  std::shared_ptr<const predictor::PredictorSet> current() const;
  // {"catalog_version", "built_at_s", "build_s", "builds", "rebuilding", "pending", "reason", "last_error"}: which
  // catalog the served set was built from, when, how long it took, and whether a newer one is on its way.
  nlohmann::json status() const;
  // Blocks until no build runs or waits (tests; shutdown).
  void wait_idle();
  void stop();

 private:
  void worker();
  predictor::PredictorSet build(const catalog::Catalog& snapshot, const predictor::PredictorSet* previous) const;

  std::filesystem::path dir_;
  const Clock& clock_;
  predictor::TrainSettings train_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<const predictor::PredictorSet> current_;
  std::shared_ptr<const catalog::Catalog> pending_;  // the newest snapshot asked for, not yet being built
  std::uint64_t pending_version_ = 0;
  std::string pending_reason_;
  bool building_ = false;
  bool stopping_ = false;
  std::thread thread_;
  // What the served set was built from.
  std::uint64_t catalog_version_ = 0;
  double built_at_s_ = 0, build_s_ = 0;
  long long builds_ = 0;
  std::string reason_ = "start-up", last_error_;
};

}  // namespace edgeml::controller
