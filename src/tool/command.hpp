#pragma once
// Subcommands of the edgeml tool. Each cmd_<name>.cpp defines one and registers it with a static Registrar:
//   static edgeml::tool::Registrar reg{"catalog", "check benchmark CSVs", run_catalog};
#include <functional>
#include <string>
#include <vector>

namespace edgeml::tool {

using Args = std::vector<std::string>;  // arguments after the subcommand name
using CommandFn = std::function<int(const Args&)>;

struct Command {
  std::string name, summary;
  CommandFn run;
};

std::vector<Command>& registry();

struct Registrar {
  Registrar(std::string name, std::string summary, CommandFn fn);
};

// Small flag parser shared by subcommands: "--key value", "--key=value", "--flag"; repeatable keys keep all values.
class Flags {
 public:
  // value_flags: flags that take a value; others are booleans. Throws FieldError on an unknown flag.
  Flags(const Args& args, const std::vector<std::string>& value_flags, const std::vector<std::string>& bool_flags);
  bool has(const std::string& flag) const;
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  std::vector<std::string> all(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }
  double number(const std::string& flag, double fallback) const;  // throws FieldError when not a number

 private:
  std::vector<std::pair<std::string, std::string>> values_;
  std::vector<std::string> positional_;
};

}  // namespace edgeml::tool
