#include "wire/refusals.hpp"

namespace edgeml::wire {

Refusal RefusalCounters::count(const std::exception& e) {
  auto r = refusal_of(e);
  count(r);
  return r;
}

std::uint64_t RefusalCounters::total() const {
  std::uint64_t t = 0;
  for (const auto& r : refusal_names()) t += get(r.value);
  return t;
}

nlohmann::json RefusalCounters::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& r : refusal_names()) j[r.name] = get(r.value);
  return j;
}

std::string RefusalCounters::prometheus(std::string_view metric, std::string_view help) const {
  std::string m(metric);
  std::string out = "# HELP " + m + " " + std::string(help) + "\n# TYPE " + m + " counter\n";
  for (const auto& r : refusal_names()) out += m + "{reason=\"" + r.name + "\"} " + std::to_string(get(r.value)) + "\n";
  return out;
}

}  // namespace edgeml::wire
