#include "tool/command.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::tool {

std::vector<Command>& registry() {
  static std::vector<Command> commands;
  return commands;
}

Registrar::Registrar(std::string name, std::string summary, CommandFn fn) {
  registry().push_back({std::move(name), std::move(summary), std::move(fn)});
}

Flags::Flags(const Args& args, const std::vector<std::string>& value_flags,
             const std::vector<std::string>& bool_flags) {
  auto is = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positional_.push_back(a);
      continue;
    }
    std::string key = a, value;
    bool inline_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      key = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (is(value_flags, key)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) throw FieldError(key, key + " needs a value");
        value = args[++i];
      }
      values_.emplace_back(key, value);
    } else if (is(bool_flags, key)) {
      values_.emplace_back(key, inline_value ? value : "true");
    } else {
      throw FieldError(key, "unknown flag " + key);
    }
  }
}

bool Flags::has(const std::string& flag) const {
  return std::any_of(values_.begin(), values_.end(), [&](auto& kv) { return kv.first == flag; });
}

std::string Flags::get(const std::string& flag, const std::string& fallback) const {
  for (auto it = values_.rbegin(); it != values_.rend(); ++it)
    if (it->first == flag) return it->second;
  return fallback;
}

std::vector<std::string> Flags::all(const std::string& flag) const {
  std::vector<std::string> out;
  for (auto& [k, v] : values_)
    if (k == flag) out.push_back(v);
  return out;
}

double Flags::number(const std::string& flag, double fallback) const {
  if (!has(flag)) return fallback;
  auto v = parse_double(get(flag));
  if (!v) throw FieldError(flag, flag + " must be a number, got '" + get(flag) + "'");
  return *v;
}

}  // namespace edgeml::tool
