// edgeml bench: benchmark model files on this machine into catalog rows (Jetson CSV schema plus our columns).
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "bench/benchmark.hpp"
#include "bench/rows.hpp"
#include "bench/sampled_energy.hpp"
#include "catalog/device_profile.hpp"
#include "common/error.hpp"
#include "runtime/runtime.hpp"
#include "tool/command.hpp"

namespace {

constexpr const char* kUsage =
    "usage: edgeml bench --models DIR|FILE... --device-name NAME --out rows.csv\n"
    "                    [--iterations N (100)] [--warmup W (10)] [--runs R (3)] [--threads T (1)]\n"
    "                    [--backend ort|opencv|auto (auto)] [--sysfs-root /sys] [--procfs-root /proc]\n"
    "Benchmarks each model (a folder contributes its *.onnx files) and writes one row per model, rewriting --out "
    "after\n"
    "each one. Energy and average power come from this machine's power source (INA3221/hwmon, RAPL) sampled at 10 Hz;\n"
    "without one those columns stay empty and the notes column says why.\n";

int whole_number(const edgeml::tool::Flags& flags, const std::string& flag, int fallback, int min) {
  const double v = flags.number(flag, fallback);
  if (v != static_cast<int>(v) || v < min)
    throw edgeml::FieldError(flag, flag + " must be a whole number >= " + std::to_string(min));
  return static_cast<int>(v);
}

std::vector<std::filesystem::path> model_files(const std::vector<std::string>& args) {
  std::vector<std::filesystem::path> files;
  for (const auto& a : args) {
    const std::filesystem::path p = a;
    if (std::filesystem::is_directory(p)) {
      std::vector<std::filesystem::path> in_dir;
      for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file() && e.path().extension() == ".onnx") in_dir.push_back(e.path());
      if (in_dir.empty()) throw edgeml::FieldError("--models", "no .onnx files in " + a);
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (std::filesystem::is_regular_file(p)) {
      files.push_back(p);
    } else {
      throw edgeml::FieldError("--models", "no such file or folder: " + a);
    }
  }
  if (files.empty()) throw edgeml::FieldError("--models", "--models needs at least one file or folder");
  return files;
}

int run_bench(const edgeml::tool::Args& args) {
  if (std::find(args.begin(), args.end(), "--help") != args.end()) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  edgeml::tool::Flags flags(args,
                            {"--models", "--device-name", "--out", "--iterations", "--warmup", "--runs", "--threads",
                             "--backend", "--sysfs-root", "--procfs-root"},
                            {});
  std::vector<std::string> model_args = flags.all("--models");
  for (const auto& p : flags.positional()) model_args.push_back(p);  // "--models a b c"
  if (!flags.has("--device-name")) throw edgeml::FieldError("--device-name", "--device-name is required");
  const std::string device = edgeml::catalog::normalize_device_type(flags.get("--device-name"));
  if (!flags.has("--out")) throw edgeml::FieldError("--out", "--out is required");
  const std::filesystem::path out = flags.get("--out");

  edgeml::bench::BenchOptions options;
  options.iterations = whole_number(flags, "--iterations", 100, 1);
  options.warmup = whole_number(flags, "--warmup", 10, 0);
  options.runs = whole_number(flags, "--runs", 3, 1);
  options.threads = whole_number(flags, "--threads", 1, 1);
  options.backend = flags.get("--backend", "auto");
  auto backends = edgeml::runtime::available_backends();
  if (options.backend != "auto" && std::find(backends.begin(), backends.end(), options.backend) == backends.end())
    throw edgeml::FieldError("--backend", "--backend '" + options.backend + "' is not in this build (have: auto, " +
                                              backends.front() + (backends.size() > 1 ? ", " + backends[1] : "") + ")");
  // Energy from this machine's own power source (INA3221/hwmon, RAPL), sampled at 10 Hz; empty with the reason if none.
  edgeml::telemetry::Roots roots;
  roots.sysfs = flags.get("--sysfs-root", "/sys");
  roots.procfs = flags.get("--procfs-root", "/proc");
  edgeml::bench::SampledEnergy energy(roots);
  options.energy = energy.source();
  options.no_energy_reason = energy.reason();
  std::cerr << (options.energy ? "energy from " + options.energy->name : "no energy: " + energy.reason()) << std::endl;
  const auto files = model_files(model_args);

  std::vector<edgeml::bench::BenchResult> results;
  std::vector<std::string> failures;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string prefix = "[" + std::to_string(i + 1) + "/" + std::to_string(files.size()) + "] ";
    options.progress = [&](const std::string& line) { std::cerr << prefix << line << std::endl; };
    try {
      results.push_back(edgeml::bench::run_benchmark(files[i], options));
      edgeml::bench::write_csv(out, results);
    } catch (const edgeml::FieldError&) {
      throw;
    } catch (const std::exception& e) {
      std::cerr << prefix << files[i].filename().string() << ": not benchmarked: " << e.what() << std::endl;
      failures.push_back(files[i].filename().string() + ": " + e.what());
    }
  }
  std::cerr << results.size() << " of " << files.size() << " model(s) benchmarked";
  if (!results.empty()) std::cerr << "; rows in " << out.string();
  std::cerr << std::endl;
  for (const auto& f : failures) std::cerr << "  not benchmarked: " << f << std::endl;
  return failures.empty() ? 0 : 1;
}

const edgeml::tool::Registrar registrar{"bench", "benchmark model files into catalog rows", run_bench};

}  // namespace
