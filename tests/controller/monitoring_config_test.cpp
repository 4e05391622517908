// The Prometheus scrape configuration and the Grafana dashboard shipped in deploy/ against the real services: a
// controller and agents on the Jetson Orin, Jetson Nano and Raspberry Pi 5 fixtures (one running a deployed model).
// The scrape jobs' paths answer, service discovery through the controller lists every registered agent with its
// labels, and every metric and label the dashboard's queries use is one the services export.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "deploy_support.hpp"

using namespace edgeml::deploy_test;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Metric names and label names of a Prometheus text exposition.
struct Exposition {
  std::set<std::string> metrics, labels;
  void add(const std::string& text) {
    std::istringstream in(text);
    static const std::regex label_re(R"(([a-zA-Z_][a-zA-Z0-9_]*)=")");
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      auto end = line.find_first_of("{ ");
      metrics.insert(line.substr(0, end));
      if (end != std::string::npos && line[end] == '{') {
        std::string inside = line.substr(end, line.find('}') - end);
        for (std::sregex_iterator it(inside.begin(), inside.end(), label_re), stop; it != stop; ++it)
          labels.insert((*it)[1]);
      }
    }
  }
};

// Every PromQL expression of the dashboard (panel targets and template variable queries) and every legend.
void collect(const nlohmann::json& j, std::vector<std::string>& exprs, std::vector<std::string>& legends) {
  if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      if ((k == "expr" || k == "definition") && v.is_string()) exprs.push_back(v);
      if (k == "query" && v.is_object() && v.contains("query")) exprs.push_back(v["query"]);
      if (k == "legendFormat" && v.is_string()) legends.push_back(v);
      collect(v, exprs, legends);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) collect(v, exprs, legends);
  }
}

std::set<std::string> matches(const std::string& s, const std::regex& re, int group = 1) {
  std::set<std::string> out;
  for (std::sregex_iterator it(s.begin(), s.end(), re), stop; it != stop; ++it) out.insert((*it)[group]);
  return out;
}

}  // namespace

TEST(MonitoringConfig, ScrapeConfigAndGrafanaDashboardMatchTheServices) {
  const fs::path deploy = fs::path(EDGEML_SOURCE_DIR) / "deploy";
  const fs::path fixtures = EDGEML_FIXTURES_DIR;
  TempDir orin_dir("mon-orin"), nano_dir("mon-nano"), pi_dir("mon-pi");
  auto controller = start_controller(controller_state("monitoring-config", true), {"--poll-interval", "0.3"});
  // The Orin reads this machine's /proc (a fixture's /proc never changes, so it has no CPU load to report).
  auto orin =
      start_agent("jetson_orin_jp5", orin_dir.path,
                  {"--rootfs", (fixtures / "jetson_orin_jp5").string(), "--infer-hz", "5", "--procfs-root", "/proc"});
  auto nano = start_agent("jetson_nano_l4t32", nano_dir.path, {"--rootfs", (fixtures / "jetson_nano_l4t32").string()});
  auto pi = start_agent("rpi5", pi_dir.path);
  std::map<std::string, const Service*> agents{{"orin", orin.get()}, {"nano", nano.get()}, {"pi", pi.get()}};
  for (const auto& [name, svc] : agents) {
    auto r = controller->post("/api/devices", {{"name", name},
                                               {"address", svc->address()},
                                               {"device_type", name == "pi" ? "rpi5" : "jetson_nano"},
                                               {"group", name == "pi" ? "home" : "lab"}});
    ASSERT_EQ(r.status, 201) << r.raw;
  }
  // A model running on the Orin, so the model and inference series exist; the polls give the controller's figures.
  auto dep = controller->post("/api/deploy",
                              {{"device", "orin"}, {"model_name", "mobilenetv3_small_075"}, {"max_energy", 50}});
  ASSERT_EQ(dep.status, 200) << dep.raw;
  ASSERT_TRUE(
      eventually([&] { return controller->get("/metrics").raw.find("status=\"online\"} 3") != std::string::npos; }, 20))
      << controller->get("/metrics").raw;

  // prometheus.yml: each job's path, the controller as a static target, the agents through its service discovery.
  std::string yml = read_file(deploy / "prometheus/prometheus.yml");
  auto paths = matches(yml, std::regex(R"(\n\s+metrics_path:\s*(\S+))"));
  EXPECT_EQ(paths, std::set<std::string>{"/metrics"});
  auto jobs = matches(yml, std::regex(R"(job_name:\s*(\S+))"));
  EXPECT_EQ(jobs, (std::set<std::string>{"edgeml-controller", "edgeml-agent"}));
  auto sd = matches(yml, std::regex(R"(url:\s*http://controller\.example:5000(\S+))"));
  ASSERT_EQ(sd.size(), 1u) << yml;
  auto targets = controller->get(*sd.begin());
  ASSERT_EQ(targets.status, 200) << targets.raw;
  ASSERT_TRUE(targets.body.is_array());
  std::set<std::string> listed;
  std::set<std::string> target_labels{"job", "instance"};
  for (const auto& g : targets.body) {
    for (const auto& [k, v] : g["labels"].items()) target_labels.insert(k);
    for (const auto& t : g["targets"]) listed.insert(t.get<std::string>());
    EXPECT_FALSE(g["labels"]["device"].get<std::string>().empty());
  }
  EXPECT_EQ(listed, (std::set<std::string>{orin->address(), nano->address(), pi->address()}));

  // Scrape what Prometheus would.
  Exposition seen;
  auto scrape = [&](const Service& s) {
    auto r = s.get(*paths.begin());
    ASSERT_EQ(r.status, 200) << r.raw;
    EXPECT_EQ(r.headers["Content-Type"].rfind("text/plain; version=0.0.4", 0), 0u);
    seen.add(r.raw);
  };
  scrape(*controller);
  for (const auto& [name, svc] : agents) scrape(*svc);
  // Series that need two readings (CPU load) or a running model (inferences): once the Orin has them.
  ASSERT_TRUE(eventually([&] {
    auto m = orin->get("/metrics").raw;
    return m.find("edgeml_agent_inferences_total 0") == std::string::npos &&
           m.find("edgeml_cpu_usage_ratio") != std::string::npos;
  }));
  scrape(*orin);

  // The dashboard: every metric it reads is exported, every label it names exists on a series or a target.
  auto dashboard = nlohmann::json::parse(read_file(deploy / "grafana/edgeml-fleet.json"));
  std::vector<std::string> exprs, legends;
  collect(dashboard["panels"], exprs, legends);
  collect(dashboard["templating"], exprs, legends);
  ASSERT_GT(exprs.size(), 20u);
  const std::regex metric_re(R"(\b((?:edgeml|node)_[a-z0-9_]+)\b)");
  const std::regex by_re(R"(by \(([^)]*)\))");
  const std::regex matcher_re(R"(([a-z_]+)\s*=~?\s*")");
  const std::regex legend_re(R"(\{\{\s*([a-z_]+)\s*\}\})");
  const std::regex label_values_re(R"(label_values\([^,]+,\s*([a-z_]+)\))");
  std::set<std::string> used_metrics, used_labels;
  for (const auto& e : exprs) {
    for (const auto& m : matches(e, metric_re)) used_metrics.insert(m);
    for (const auto& list : matches(e, by_re))
      for (const auto& l : matches(list, std::regex(R"(([a-z_]+))"))) used_labels.insert(l);
    for (const auto& l : matches(e, matcher_re)) used_labels.insert(l);
    for (const auto& l : matches(e, label_values_re)) used_labels.insert(l);
  }
  for (const auto& l : legends)
    for (const auto& x : matches(l, legend_re)) used_labels.insert(x);
  for (const auto& m : used_metrics)
    EXPECT_TRUE(seen.metrics.count(m)) << "the dashboard reads " << m << ", no service exports it";
  for (const auto& l : used_labels)
    EXPECT_TRUE(seen.labels.count(l) || target_labels.count(l) || l == "le") << "the dashboard uses label " << l;
  // It covers what the issue asks to watch.
  for (const char* m : {"edgeml_power_watts", "edgeml_gpu_load_ratio", "edgeml_emc_load_ratio", "edgeml_fan_rpm",
                        "edgeml_power_mode_info", "edgeml_throttle_active", "edgeml_cpu_core_usage_ratio",
                        "edgeml_controller_device_up", "edgeml_controller_http_requests_total"})
    EXPECT_TRUE(used_metrics.count(m)) << m;
}
