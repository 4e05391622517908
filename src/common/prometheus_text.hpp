#pragma once
// The one way both services write Prometheus text exposition format (0.0.4): each family's HELP and TYPE once,
// label values escaped (backslash, quote, newline), numbers in a form Prometheus parses.
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeml {

using PromLabels = std::vector<std::pair<std::string, std::string>>;

class PromText {
 public:
  // Starts a metric family: "# HELP name help" and "# TYPE name type" (counter, gauge, histogram).
  PromText& family(std::string_view name, std::string_view help, std::string_view type);
  PromText& sample(std::string_view name, const PromLabels& labels, double value);
  PromText& sample(std::string_view name, double value) { return sample(name, {}, value); }
  std::string str() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string prom_escape_label(std::string_view value);
std::string prom_number(double value);  // integers without a fraction, NaN/Inf as Prometheus spells them

}  // namespace edgeml
