#pragma once
// A/B tests of two models (issue 14): model A deployed to one set of devices and B to another through the usual
// staged deploy path, each arm's samples taken from stored telemetry (like for like: the metric the agent reported
// while that arm's model was the active one, since the test started, on devices of one device type), compared by
// abtest::compare_arms (Welch's interval, verdict, samples still needed), and the winner promoted to both arms.
// Routes: POST /api/abtests, GET /api/abtests, GET /api/abtests/:id, POST /api/abtests/:id/promote.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "abtest/comparison.hpp"
#include "http/router.hpp"
#include "store/abtests.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

class ControllerApp;

// The metrics an A/B test compares: "energy_per_inference_mj" (the agent's measured gross energy per inference) and
// "inference_p50_s" (its loop's median latency). FieldError("metric") otherwise.
const std::string& abtest_metric_unit(const std::string& metric);

// One arm's values: each stored sample of the arm's devices at or after since_s whose active model is `model` and
// that carries the metric. Consecutive samples of one device are not independent (an agent's running figures), so
// the interval is narrower than it would be with independent runs; the answer says so.
std::vector<double> abtest_arm_values(store::Store& db, const std::vector<store::Device>& devices,
                                      const std::string& model, const std::string& metric, double since_s);

void register_abtest_routes(ControllerApp& app, http::Router& router);

}  // namespace edgeml::controller
