// edgeml catalog check PATH... : loads benchmark CSVs as the controller would and prints the load report
// (rows per device, rows per flag and per repair rule, with examples). Exit code 0 even with flagged rows: flags are
// findings, not errors.
// edgeml catalog export [--device D] [--rows FILE.jsonl] [--out FILE] PATH... : the loaded rows (plus fleet/API rows
// kept in a row store file) as one CSV in the seed schema, with where each row came from.
#include <cstdio>
#include <iostream>

#include "catalog/catalog.hpp"
#include "catalog/csv_export.hpp"
#include "catalog/live_catalog.hpp"
#include "catalog/row_store.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "tool/command.hpp"

namespace {

constexpr const char* kUsage =
    "usage: edgeml catalog check [--json] [--examples N] PATH|DEVICE=PATH...\n"
    "       edgeml catalog export [--device D] [--rows STORE.jsonl] [--out FILE.csv] [PATH|DEVICE=PATH...]\n"
    "  PATH is a CSV file or a folder of CSVs; the device type comes from DEVICE= or the file name.\n"
    "  --rows adds the fleet/API rows a controller kept (JSON lines); export writes to stdout without --out.\n";

void print_report(const nlohmann::json& report) {
  std::cout << "files: " << report["files"].size() << ", rows: " << report["rows"]
            << ", clean (no flags): " << report["clean_rows"] << "\n\nrows per device:\n";
  for (auto& [device, d] : report["devices"].items())
    std::printf("  %-16s %4d rows  %4d clean (%d repaired)  %4d flagged  (plausible power %s-%s W)\n", device.c_str(),
                d["rows"].get<int>(), d["clean"].get<int>(), d["repaired"].get<int>(), d["flagged"].get<int>(),
                report["power_windows"][device]["power_min_w"].dump().c_str(),
                report["power_windows"][device]["power_max_w"].dump().c_str());
  auto examples = [](const nlohmann::json& list) {
    for (auto& ex : list)
      std::printf("      %s (%s, line %d): %s\n", ex["model"].get<std::string>().c_str(),
                  ex["device_type"].get<std::string>().c_str(), ex["line"].get<int>(),
                  ex["detail"].get<std::string>().c_str());
  };
  std::cout << "\nrows per flag (left out of training):\n";
  for (auto& [flag, f] : report["flags"].items()) {
    std::printf("  %-24s %4d rows\n", flag.c_str(), f["rows"].get<int>());
    examples(f["examples"]);
  }
  std::cout << "\nrows repaired by rule (original values kept; they train):\n";
  if (report["repairs"].empty()) std::cout << "  none\n";
  for (auto& [rule, r] : report["repairs"].items()) {
    std::printf("  %-24s %4d rows\n", rule.c_str(), r["rows"].get<int>());
    examples(r["examples"]);
  }
}

int run_catalog(const edgeml::tool::Args& args) {
  edgeml::tool::Flags flags(args, {"--examples", "--device", "--rows", "--out"}, {"--json", "--help"});
  const auto& pos = flags.positional();
  const bool check = !pos.empty() && pos[0] == "check", do_export = !pos.empty() && pos[0] == "export";
  if (flags.has("--help") || (!check && !do_export)) {
    std::fputs(kUsage, flags.has("--help") ? stdout : stderr);
    return flags.has("--help") ? 0 : 2;
  }
  edgeml::catalog::Catalog catalog;
  for (size_t i = 1; i < pos.size(); ++i) catalog.load(edgeml::catalog::DataSource::parse(pos[i]));
  if (check) {
    if (pos.size() < 2) throw edgeml::FieldError("PATH", "catalog check needs at least one PATH");
    auto report = catalog.report(static_cast<size_t>(flags.number("--examples", 3)));
    if (flags.has("--json"))
      std::cout << report.dump(2) << "\n";
    else
      print_report(report);
    return 0;
  }
  edgeml::catalog::LiveCatalog live(std::move(catalog));
  if (flags.has("--rows")) {
    const std::filesystem::path store_file = flags.get("--rows");
    if (!std::filesystem::exists(store_file))
      throw edgeml::FieldError("--rows", store_file.string() + ": no such row store file");
    for (const auto& skipped : live.restore(edgeml::catalog::JsonLinesRowStore(store_file)))
      std::fprintf(stderr, "skipped %s\n", skipped.c_str());
  }
  if (pos.size() < 2 && !flags.has("--rows")) throw edgeml::FieldError("PATH", "catalog export needs a PATH or --rows");
  const std::string csv = edgeml::catalog::export_csv(*live.snapshot(), flags.get("--device"));
  if (flags.has("--out"))
    edgeml::write_file_atomic(flags.get("--out"), csv);
  else
    std::cout << csv;
  return 0;
}

edgeml::tool::Registrar reg{"catalog", "check benchmark CSVs (flags, repairs) or export the catalog as CSV",
                            run_catalog};

}  // namespace
