#include "controller/deploy_answer.hpp"

#include "common/strings.hpp"
#include "controller/artifact_availability.hpp"
#include "controller/model_rows_json.hpp"
#include "controller/records_json.hpp"

namespace edgeml::controller {

namespace {
nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

const store::StepRecord* step_named(const std::vector<store::StepRecord>& steps, const std::string& name) {
  for (const auto& s : steps)
    if (s.name == name) return &s;
  return nullptr;
}
}  // namespace

nlohmann::json deploy_answer(const store::DeploymentRecord& rec, const std::vector<store::StepRecord>& steps,
                             UnknownEnergyPolicy unknown_energy, const catalog::Catalog& catalog) {
  auto j = to_json(rec, steps);
  nlohmann::json times = nlohmann::json::object();
  for (const auto& s : steps) times[s.name] = s.duration_s;
  j["step_times"] = times;
  j["success"] = rec.status == "succeeded";
  j["deployment_status"] = rec.status;
  j["status"] = rec.status == "succeeded" ? "success" : rec.status;
  const std::string message = rec.status == "succeeded" ? "model " + rec.model_name + " is active on " +
                                                              rec.device_name + " (sha256 " + rec.sha256 + ")"
                                                        : rec.error;
  j["message"] = message;
  j["predicted_energy"] = opt(rec.energy_mwh);
  j["energy_budget_mwh"] = opt(rec.max_energy);
  if (rec.status == "rejected") {
    j["error"] = rec.error;
    j["model_energy"] = j["predicted_energy"];
  }

  nlohmann::json warnings = nlohmann::json::array();
  const auto* gate = step_named(steps, "energy_gate");
  j["energy_gate"] = gate ? nlohmann::json{{"outcome", gate->status},
                                           {"detail", gate->detail},
                                           {"unknown_energy", to_string(unknown_energy)}}
                          : nlohmann::json();
  if (gate && gate->status == "skipped" && rec.max_energy && !rec.energy_mwh &&
      unknown_energy == UnknownEnergyPolicy::warn)
    warnings.push_back("energy unknown on " + rec.device_type + ": the budget of " + format_number(*rec.max_energy, 3) +
                       " mWh was not checked (energy_gate.detail says why)");
  j["weights"] = rec.weights.empty() ? nlohmann::json() : nlohmann::json(rec.weights);
  j["weights_note"] = weights_note(rec.weights);
  if (rec.weights == kWeightsPlaceholder) warnings.push_back(weights_note(rec.weights));
  j["warnings"] = warnings;
  const auto* window = step_named(steps, "benchmark_window");
  j["benchmark_window"] =
      window ? nlohmann::json{{"status", window->status}, {"detail", window->detail}} : nlohmann::json();

  // The original system's fields.
  j["result"] = {{"status", j["status"]}, {"message", message}, {"device_ip", rec.device_address}};
  if (rec.status == "succeeded")
    j["result"]["active_model"] = {{"name", rec.model_name}, {"sha256", rec.sha256}, {"weights", j["weights"]}};
  const auto* row = catalog.find(rec.model_name, rec.device_type);
  j["model_info"] = row ? model_row_json(*row) : nlohmann::json();
  if (!row) j["model_info_note"] = "no catalog row of " + rec.model_name + " on " + rec.device_type;
  j["artifact"] = rec.artifact_file.empty() ? nlohmann::json()
                                            : nlohmann::json{{"file", rec.artifact_file},
                                                             {"sha256", rec.sha256},
                                                             {"source", rec.artifact_source},
                                                             {"weights", j["weights"]}};
  return j;
}

}  // namespace edgeml::controller
