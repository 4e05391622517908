#include "common/prometheus_text.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace edgeml {

std::string prom_escape_label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string prom_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  // The shortest of 15 or 17 significant digits that reads back as the same double.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

PromText& PromText::family(std::string_view name, std::string_view help, std::string_view type) {
  out_ << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
  return *this;
}

PromText& PromText::sample(std::string_view name, const PromLabels& labels, double value) {
  out_ << name;
  if (!labels.empty()) {
    out_ << '{';
    for (size_t i = 0; i < labels.size(); ++i)
      out_ << (i ? "," : "") << labels[i].first << "=\"" << prom_escape_label(labels[i].second) << '"';
    out_ << '}';
  }
  out_ << ' ' << prom_number(value) << '\n';
  return *this;
}

}  // namespace edgeml
