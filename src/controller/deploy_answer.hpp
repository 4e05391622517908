#pragma once
// The answer of POST /api/deploy and GET /api/deployments/<id> for one deployment: the record and its steps, the
// original system's fields (status, message, model, predicted_energy, device_ip; result, model_info, artifact,
// energy_budget_mwh -- scripts read them), the gate's outcome, the weights that run, and warnings a caller should see
// (energy not checked under --unknown-energy warn; placeholder weights).
#include <nlohmann/json.hpp>
#include <vector>

#include "catalog/catalog.hpp"
#include "controller/energy_gate.hpp"
#include "store/records.hpp"

namespace edgeml::controller {

nlohmann::json deploy_answer(const store::DeploymentRecord& rec, const std::vector<store::StepRecord>& steps,
                             UnknownEnergyPolicy unknown_energy, const catalog::Catalog& catalog);

}  // namespace edgeml::controller
