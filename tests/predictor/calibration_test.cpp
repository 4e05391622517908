// Fresh rows recalibrate a device type's predictors; a device type with few rows borrows another's power model.
// Campaign shift is simulated on the real Raspberry Pi 5 file: its 27 rows are split by implied power into a
// low-power campaign (the file the predictor is trained on) and a high-power one (the device "as it runs now"); five
// rows of the high-power campaign are posted as API rows, and the error is measured on the rest of that campaign.
#include "predictor/calibration.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>

#include "catalog/csv_schema.hpp"
#include "catalog/live_catalog.hpp"
#include "catalog/row_columns.hpp"
#include "catalog/row_import.hpp"
#include "common/csv.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/strings.hpp"
#include "predictor/predictor_set.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::predictor;
namespace fs = std::filesystem;

namespace {

const fs::path kData = EDGEML_SHARED_DATA;

using TempDir = edgeml::testing::TempDir;  // the suite's one temporary-folder helper

TrainSettings light() {
  TrainSettings s;
  s.cv.repeats = 1;
  s.learner.gbm_rounds = 80;
  s.learner.rf_trees = 40;
  s.now_s = 1'800'000'000;
  return s;
}

// The RPi5 file split by implied power (energy x 3.6 / duration): the lower half is campaign A, the upper half B.
struct Campaigns {
  std::string header;
  std::vector<std::string> low_lines;   // CSV lines of campaign A
  std::vector<catalog::ModelRow> high;  // campaign B rows, sorted by model name
};

Campaigns split_rpi5() {
  const std::string text = read_file(kData / "27_models_benchmark_rpi5.csv");
  const CsvTable table = parse_csv(text);
  std::vector<std::string> lines = split(text, '\n');
  std::vector<std::pair<double, size_t>> by_power;
  std::vector<catalog::ModelRow> rows;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    rows.push_back(catalog::parse_row(table, i, "rpi5", "27_models_benchmark_rpi5.csv"));
    by_power.push_back({*rows.back().energy_avg_mwh * 3.6 / *rows.back().duration_avg_s, i});
  }
  std::sort(by_power.begin(), by_power.end());
  Campaigns c;
  c.header = lines[0];
  for (size_t k = 0; k < by_power.size(); ++k) {
    const size_t i = by_power[k].second;
    if (k < by_power.size() / 2 + 1)
      c.low_lines.push_back(lines[static_cast<size_t>(table.row_lines[i]) - 1]);
    else
      c.high.push_back(rows[i]);
  }
  std::sort(c.high.begin(), c.high.end(), [](auto& a, auto& b) { return a.model < b.model; });
  return c;
}

nlohmann::json post_body(const std::string& device_type, const std::vector<catalog::ModelRow>& rows) {
  nlohmann::json body{{"device_type", device_type}, {"rows", nlohmann::json::array()}};
  for (const auto& r : rows) {
    nlohmann::json cells = nlohmann::json::object();
    for (const auto& [column, cell] : catalog::row_cells(r))
      if (!cell.empty()) cells[column] = cell;
    body["rows"].push_back(cells);
  }
  return body;
}

double mape_on(const PredictorSet& set, const std::string& device, const std::vector<catalog::ModelRow>& rows,
               std::vector<double>* factors = nullptr) {
  double sum = 0;
  for (const auto& r : rows) {
    Inputs in;
    in.params_m = r.params_m;
    in.gflops = r.gflops;
    in.gmacs = r.gmacs;
    in.size_mb = r.size_mb;
    in.duration_avg_s = r.duration_avg_s;
    const Prediction p = set.predict(device, in);
    sum += std::fabs(p.prediction_mwh - *r.energy_avg_mwh) / *r.energy_avg_mwh * 100;
    if (factors) factors->push_back(p.interval_factor);
  }
  return sum / static_cast<double>(rows.size());
}

}  // namespace

TEST(Calibration, OffsetFromFiveRowsRecoversAKnownPowerFactor) {
  std::vector<CalibrationPoint> pts;
  for (int i = 0; i < 5; ++i) pts.push_back({"m" + std::to_string(i), 10.0 + i, 13.0 + 1.3 * i, 20.0 + i});
  const Calibration c = fit_calibration(pts, 0.9, 5);
  EXPECT_NEAR(std::exp(c.log_offset), 1.3, 1e-9);
  EXPECT_EQ(c.log_scale, 1.0);
  EXPECT_NEAR(c.apply(100, 30), 130, 1e-9);
  EXPECT_NEAR(c.leave_one_out.mape_pct, 0, 1e-9);
  EXPECT_NEAR(c.before.mape_pct, 100.0 * 0.3 / 1.3, 1e-9);
  pts.pop_back();
  EXPECT_THROW(fit_calibration(pts, 0.9, 5), std::invalid_argument);
}

TEST(Calibration, Rpi5CampaignShiftFiveFreshRowsRecalibrate) {
  TempDir tmp;
  const Campaigns c = split_rpi5();
  ASSERT_EQ(c.low_lines.size(), 14u);
  ASSERT_EQ(c.high.size(), 13u);
  std::string csv = c.header + "\n";
  for (const auto& l : c.low_lines) csv += l + "\n";
  write_file_atomic(tmp.path / "rpi5_campaign_a.csv", csv);
  catalog::Catalog base;  // what the controller loads: the Jetson file and the Pi's (low-power) campaign
  base.load(catalog::DataSource::parse((kData / "124_models_benchmark_jetson.csv").string()));
  base.load(catalog::DataSource::parse("rpi5=" + (tmp.path / "rpi5_campaign_a.csv").string()));
  BuildPolicy policy;
  policy.train = light();
  const PredictorSet before = PredictorSet::build(base, policy, nullptr, {});

  // Which five rows a fleet happens to measure matters with five: average over 20 seeded random draws of 5 of the
  // 13 high-power rows, each time measuring the error on the other 8.
  std::mt19937_64 rng(42);
  double sum_before = 0, sum_after = 0, worst = 0;
  int borrowed = 0;
  const int draws = 20;
  for (int draw = 0; draw < draws; ++draw) {
    std::vector<catalog::ModelRow> shuffled = c.high;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const std::vector<catalog::ModelRow> posted(shuffled.begin(), shuffled.begin() + 5),
        rest(shuffled.begin() + 5, shuffled.end());
    catalog::LiveCatalog live(base);
    catalog::Provenance api;
    api.origin = catalog::kOriginApi;
    api.device = "bench-lab";
    auto added = live.add(catalog::rows_from_json(post_body("rpi5", posted), api).rows);
    ASSERT_EQ(added.clean, 5u);
    ASSERT_EQ(added.device_types, std::vector<std::string>{"rpi5"});
    const PredictorSet after = PredictorSet::build(*live.snapshot(), policy, &before, {});
    ASSERT_TRUE(after.device("rpi5").measured.calibration.has_value());
    borrowed += after.device("rpi5").per_run_preferred;
    const double b = mape_on(before, "rpi5", rest), a = mape_on(after, "rpi5", rest);
    sum_before += b;
    sum_after += a;
    worst = std::max(worst, a);
  }
  std::cerr << "rpi5, high-power campaign, 8 rows held out, mean of " << draws << " draws: MAPE " << sum_before / draws
            << "% trained on the low-power campaign, " << sum_after / draws
            << "% after calibrating on 5 posted rows (worst draw " << worst
            << "%; jetson_nano's calibrated power model "
            << "chosen in " << borrowed << " draws)\n";
  EXPECT_LE(sum_after / draws, 20.0);
  EXPECT_LT(sum_after, sum_before);
}

TEST(Calibration, PostedRowsAreShownInDescribeAndSurviveARestart) {
  TempDir tmp;
  const Campaigns c = split_rpi5();
  std::string csv = c.header + "\n";
  for (const auto& l : c.low_lines) csv += l + "\n";
  write_file_atomic(tmp.path / "rpi5_campaign_a.csv", csv);
  catalog::Catalog base;
  base.load(catalog::DataSource::parse("rpi5=" + (tmp.path / "rpi5_campaign_a.csv").string()));
  const std::vector<catalog::ModelRow> posted(c.high.begin(), c.high.begin() + 5),
      rest(c.high.begin() + 5, c.high.end());
  catalog::JsonLinesRowStore store(tmp.path / "rows.jsonl");
  catalog::LiveCatalog live(base, &store);
  BuildPolicy policy;
  policy.train = light();
  const PredictorSet before = PredictorSet::build(*live.snapshot(), policy, nullptr, {});
  catalog::Provenance api;
  api.origin = catalog::kOriginApi;
  live.add(catalog::rows_from_json(post_body("rpi5", posted), api).rows);
  std::vector<std::string> log;
  const PredictorSet after =
      PredictorSet::build(*live.snapshot(), policy, &before, [&](const std::string& m) { log.push_back(m); });
  // The trained models were kept (same file rows), only calibrated.
  EXPECT_TRUE(
      std::any_of(log.begin(), log.end(), [](auto& l) { return l.find("kept the model") != std::string::npos; }));
  auto described = after.describe()["rpi5"]["measured"];
  EXPECT_EQ(described["calibration"]["rows"], 5);
  EXPECT_EQ(described["calibration"]["fitted_at_s"], 1'800'000'000);
  EXPECT_EQ(described["rows_used"], 14);
  EXPECT_EQ(described["trained_at_s"], 1'800'000'000);
  EXPECT_EQ(after.describe()["rpi5"]["fresh_rows"], 5);
  Inputs in;
  in.params_m = rest[0].params_m;
  in.gflops = rest[0].gflops;
  in.gmacs = rest[0].gmacs;
  in.size_mb = rest[0].size_mb;
  in.duration_avg_s = rest[0].duration_avg_s;
  const auto p = after.predict("rpi5", in);
  EXPECT_TRUE(p.calibrated);
  EXPECT_EQ(p.calibration_rows, 5u);
  EXPECT_NE(std::string(p.model_note).find("calibrated"), std::string::npos);

  // The posted rows survive a restart: a new live catalog restored from the store calibrates the same way.
  catalog::LiveCatalog restarted(base, &store);
  EXPECT_TRUE(restarted.restore(store).empty());
  EXPECT_EQ(restarted.snapshot()->rows().size(), 19u);
  const PredictorSet again = PredictorSet::build(*restarted.snapshot(), policy, nullptr, {});
  EXPECT_NEAR(mape_on(again, "rpi5", rest), mape_on(after, "rpi5", rest), 1e-9);
}

TEST(Calibration, ANewDeviceTypeBorrowsAnotherDeviceTypesPowerModelAndSaysSo) {
  const Campaigns c = split_rpi5();
  catalog::Catalog cat;
  cat.load(catalog::DataSource::parse((kData / "124_models_benchmark_jetson.csv").string()));
  const std::vector<catalog::ModelRow> own(c.high.begin(), c.high.begin() + 5), rest(c.high.begin() + 5, c.high.end());
  catalog::LiveCatalog live(cat);
  catalog::Provenance api;
  api.origin = catalog::kOriginApi;
  live.add(catalog::rows_from_json(post_body("pi5_new", own), api).rows);
  BuildPolicy policy;
  policy.train = light();
  const PredictorSet set = PredictorSet::build(*live.snapshot(), policy, nullptr, {});
  const auto& d = set.device("pi5_new");
  EXPECT_FALSE(d.measured);  // 5 rows: too few to train on
  ASSERT_TRUE(d.per_run);
  EXPECT_EQ(d.per_run.borrowed_from, "jetson_nano");
  const double mape = mape_on(set, "pi5_new", rest);
  std::cerr << "pi5_new (5 rows) with jetson_nano's per-run power model calibrated on them: MAPE " << mape
            << "% on 8 other rows of that campaign\n";
  EXPECT_LE(mape, 25.0);
  auto j = set.describe()["pi5_new"]["per_run"];
  EXPECT_EQ(j["borrowed_from"], "jetson_nano");
  EXPECT_NE(j["note"].get<std::string>().find("borrowed from jetson_nano"), std::string::npos);
  Inputs in;
  in.params_m = rest[0].params_m;
  in.gflops = rest[0].gflops;
  in.gmacs = rest[0].gmacs;
  in.size_mb = rest[0].size_mb;
  in.duration_avg_s = rest[0].duration_avg_s;
  const auto p = set.predict("pi5_new", in);
  EXPECT_EQ(p.borrowed_from, "jetson_nano");
  EXPECT_EQ(p.predictor, "per_run");
  // Without a duration there is nothing to answer with, and the error says what would help.
  in.duration_avg_s.reset();
  try {
    set.predict("pi5_new", in);
    FAIL();
  } catch (const NotFoundError& e) {
    EXPECT_NE(std::string(e.what()).find("duration_avg_s"), std::string::npos) << e.what();
  }
}

TEST(Calibration, EnoughFreshRowsRetrainOnThemAlone) {
  catalog::Catalog pi;
  pi.load(catalog::DataSource::parse((kData / "27_models_benchmark_rpi5.csv").string()));
  catalog::Catalog jetson;
  jetson.load(catalog::DataSource::parse((kData / "124_models_benchmark_jetson.csv").string()));
  // 24 clean rows measured "now" on the device type (here: Jetson rows posted under rpi5's name, so the change of
  // what the predictor learned is unmistakable: they carry per-inference latency, the file's rows do not).
  std::vector<catalog::ModelRow> fresh;
  for (const auto& r : jetson.rows())
    if (r.clean() && !r.repaired() && fresh.size() < 24) fresh.push_back(r);
  ASSERT_EQ(fresh.size(), 24u);
  catalog::LiveCatalog live(pi);
  catalog::Provenance fleet;
  fleet.origin = catalog::kOriginFleet;
  fleet.device = "pi-7";
  live.add(catalog::rows_from_json(post_body("rpi5", fresh), fleet).rows);
  BuildPolicy policy;
  policy.train = light();
  policy.train.formulations = {"power_time_median", "power_time_ridge", "ridge_log_energy"};
  const PredictorSet set = PredictorSet::build(*live.snapshot(), policy, nullptr, {});
  const auto& d = set.device("rpi5");
  ASSERT_TRUE(d.measured);
  EXPECT_EQ(d.measured->rows_used(), 24u);
  EXPECT_EQ(d.measured->time_input(), TimeInput::latency);
  EXPECT_FALSE(d.measured.calibration.has_value());
  EXPECT_NE(d.measured.trained_on.find("24 fleet rows"), std::string::npos) << d.measured.trained_on;
  EXPECT_NE(d.calibration_note.find("retrained"), std::string::npos) << d.calibration_note;
}
