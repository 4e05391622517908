// edgeml train: cross-validates every energy-predictor formulation for one device, prints the CV tables (k-fold and
// architecture families held out) for the measured and the static predictor, and saves the chosen models with their
// metadata. Progress goes to stderr, tables to stdout.
#include <cstdio>
#include <iostream>

#include "catalog/catalog.hpp"
#include "common/error.hpp"
#include "common/strings.hpp"
#include "predictor/report.hpp"
#include "predictor/trainer.hpp"
#include "tool/command.hpp"

namespace edgeml::tool {
namespace {

constexpr const char* kUsage =
    "usage: edgeml train --data [DEVICE=]PATH [--data ...] --device NAME --out DIR\n"
    "                    [--folds 5] [--repeats 3] [--seed 42] [--coverage 0.9] [--formulations a,b,...]\n"
    "                    [--no-nested]\n"
    "Cross-validates the formulations (median power x time, ridge, gradient boosting, random forest) on the device's\n"
    "rows without flags (repaired rows included), prints the CV tables (MAPE with its standard error, Spearman),\n"
    "chooses the simplest formulation within one standard error of the best family-held-out MAPE, and saves the\n"
    "measured, static and per-run (power model x duration) predictors to DIR. Nested CV (the whole choice repeated\n"
    "inside each outer fold, k-fold and families held out) gives the figures to report; --no-nested skips it.\n";

int integer_flag(const Flags& f, const std::string& name, double fallback, int min, int max) {
  const double v = f.number(name, fallback);
  if (v != static_cast<int>(v) || v < min || v > max)
    throw FieldError(name, name + " must be an integer in " + std::to_string(min) + ".." + std::to_string(max));
  return static_cast<int>(v);
}

int run_train(const Args& args) {
  Flags flags(args, {"--data", "--device", "--out", "--folds", "--repeats", "--seed", "--coverage", "--formulations"},
              {"--help", "--no-nested"});
  if (flags.has("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (flags.all("--data").empty()) throw FieldError("--data", std::string("--data is required\n") + kUsage);
  if (!flags.has("--device")) throw FieldError("--device", std::string("--device is required\n") + kUsage);
  if (!flags.has("--out")) throw FieldError("--out", std::string("--out is required\n") + kUsage);

  predictor::TrainSettings settings;
  settings.cv.folds = integer_flag(flags, "--folds", 5, 2, 50);
  settings.cv.repeats = integer_flag(flags, "--repeats", 3, 1, 100);
  settings.cv.seed = static_cast<std::uint64_t>(integer_flag(flags, "--seed", 42, 0, 1 << 30));
  settings.learner.seed = settings.cv.seed;
  settings.cv.coverage = flags.number("--coverage", 0.9);
  settings.nested = !flags.has("--no-nested");
  if (!(settings.cv.coverage > 0 && settings.cv.coverage < 1))
    throw FieldError("--coverage", "--coverage must be between 0 and 1 (exclusive)");
  if (flags.has("--formulations")) {
    for (const auto& name : split(flags.get("--formulations"), ',')) {
      try {
        predictor::formulation_by_name(name);
      } catch (const std::exception& e) {
        throw FieldError("--formulations", e.what());
      }
      settings.formulations.push_back(name);
    }
  }

  catalog::Catalog catalog;
  for (const auto& d : flags.all("--data")) {
    const size_t n = catalog.load(catalog::DataSource::parse(d));
    std::fprintf(stderr, "loaded %zu rows from %s\n", n, d.c_str());
  }
  const std::string device = flags.get("--device");
  if (!catalog.has_device(device)) {
    std::string known;
    for (const auto& k : catalog.device_types()) known += (known.empty() ? "" : ", ") + k;
    throw NotFoundError("no rows for device '" + device + "' in the data (devices: " + known + ")");
  }
  const auto data = predictor::TrainingData::from_catalog(catalog, device);
  std::printf("%s: %zu rows, %zu without flags used for training (%zu left out; see the metadata for why)\n",
              device.c_str(), data.catalog_rows, data.rows.size(), data.exclusions.size());
  std::printf("target: %s\n\n", data.target_description.c_str());

  auto progress = [](const std::string& m) { std::fprintf(stderr, "  %s\n", m.c_str()); };
  const std::filesystem::path out = flags.get("--out");
  int trained = 0;
  for (auto kind :
       {predictor::PredictorKind::measured, predictor::PredictorKind::static_only, predictor::PredictorKind::per_run}) {
    if (kind != predictor::PredictorKind::static_only && !data.has_measured()) {
      std::printf("%s / %s predictor: unavailable (rows carry no latency or run duration)\n\n", device.c_str(),
                  std::string(predictor::kind_name(kind)).c_str());
      continue;
    }
    try {
      auto model = predictor::train_energy_model(data.subset(kind), kind, settings, progress);
      std::fputs(predictor::format_model_report(model).c_str(), stdout);
      model.save(out);
      std::printf("  saved: %s\n\n", predictor::EnergyModel::metadata_path(out, device, kind).string().c_str());
      std::fflush(stdout);
      ++trained;
    } catch (const std::runtime_error& e) {
      if (dynamic_cast<const FieldError*>(&e) || dynamic_cast<const NotFoundError*>(&e)) throw;
      std::printf("%s / %s predictor: not trained: %s\n\n", device.c_str(),
                  std::string(predictor::kind_name(kind)).c_str(), e.what());
    }
  }
  return trained > 0 ? 0 : 1;
}

Registrar reg{"train", "cross-validate and train the energy predictors of a device", run_train};

}  // namespace
}  // namespace edgeml::tool
