// edgeml: the command-line tool. Dispatches "edgeml <command> args..." to the registered subcommands.
#include <cstdio>
#include <exception>
#include <string>

#include "common/error.hpp"
#include "tool/command.hpp"

namespace {
void usage() {
  std::fprintf(stderr, "usage: edgeml <command> [options]\n\ncommands:\n");
  for (const auto& c : edgeml::tool::registry())
    std::fprintf(stderr, "  %-10s %s\n", c.name.c_str(), c.summary.c_str());
  std::fprintf(stderr, "\nedgeml <command> --help shows a command's options.\n");
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    usage();
    return argc < 2 ? 2 : 0;
  }
  std::string name = argv[1];
  for (const auto& c : edgeml::tool::registry()) {
    if (c.name != name) continue;
    try {
      return c.run(edgeml::tool::Args(argv + 2, argv + argc));
    } catch (const edgeml::FieldError& e) {
      std::fprintf(stderr, "edgeml %s: %s\n", name.c_str(), e.what());
      return 2;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "edgeml %s: %s\n", name.c_str(), e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "edgeml: unknown command '%s'\n\n", name.c_str());
  usage();
  return 2;
}
