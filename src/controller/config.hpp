#pragma once
// The controller's settings, from flags and the environment (secrets only from the environment or a config file).
#include <filesystem>
#include <string>
#include <vector>

namespace edgeml::controller {

struct Config {
  std::string host = "127.0.0.1";
  int port = 5000;
  std::vector<std::string> data;                 // --data PATH or DEVICE=PATH, repeatable
  std::filesystem::path state_dir = "var/controller";  // predictor models, SQLite, artifact store
  std::filesystem::path web_dir;                 // dashboard static files; empty = not served
  size_t threads = 16;
};

// Throws FieldError naming the flag. Prints nothing.
Config parse_args(int argc, char** argv);
std::string usage();

}  // namespace edgeml::controller
