// edgeml catalog check PATH... : loads benchmark CSVs as the controller would and prints the load report
// (rows per device, rows per flag with examples). Exit code 0 even with flagged rows: flags are findings, not errors.
#include <cstdio>
#include <iostream>

#include "catalog/catalog.hpp"
#include "common/error.hpp"
#include "tool/command.hpp"

namespace {

int run_catalog(const edgeml::tool::Args& args) {
  edgeml::tool::Flags flags(args, {"--examples"}, {"--json", "--help"});
  const auto& pos = flags.positional();
  if (flags.has("--help") || pos.empty() || pos[0] != "check") {
    std::fprintf(stderr,
                 "usage: edgeml catalog check [--json] [--examples N] PATH|DEVICE=PATH...\n"
                 "  PATH is a CSV file or a folder of CSVs; the device type comes from DEVICE= or the file name\n");
    return flags.has("--help") ? 0 : 2;
  }
  if (pos.size() < 2) throw edgeml::FieldError("PATH", "catalog check needs at least one PATH");
  edgeml::catalog::Catalog catalog;
  for (size_t i = 1; i < pos.size(); ++i) catalog.load(edgeml::catalog::DataSource::parse(pos[i]));
  auto report = catalog.report(static_cast<size_t>(flags.number("--examples", 3)));
  if (flags.has("--json")) {
    std::cout << report.dump(2) << "\n";
    return 0;
  }
  std::cout << "files: " << report["files"].size() << ", rows: " << report["rows"]
            << ", clean (no flags): " << report["clean_rows"] << "\n\nrows per device:\n";
  for (auto& [device, d] : report["devices"].items())
    std::printf("  %-16s %4d rows  %4d clean  %4d flagged  (plausible power %s-%s W)\n", device.c_str(),
                d["rows"].get<int>(), d["clean"].get<int>(), d["flagged"].get<int>(),
                report["power_windows"][device]["power_min_w"].dump().c_str(),
                report["power_windows"][device]["power_max_w"].dump().c_str());
  std::cout << "\nrows per flag:\n";
  for (auto& [flag, f] : report["flags"].items()) {
    std::printf("  %-24s %4d rows\n", flag.c_str(), f["rows"].get<int>());
    for (auto& ex : f["examples"])
      std::printf("      %s (%s, line %d): %s\n", ex["model"].get<std::string>().c_str(),
                  ex["device_type"].get<std::string>().c_str(), ex["line"].get<int>(),
                  ex["detail"].get<std::string>().c_str());
  }
  return 0;
}

edgeml::tool::Registrar reg{"catalog", "check benchmark CSVs: rows per device and per data-quality flag", run_catalog};

}  // namespace
