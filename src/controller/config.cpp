#include "controller/config.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::controller {

std::string usage() {
  return "usage: edgeml-controller [--host 127.0.0.1] [--port 5000] [--data PATH|DEVICE=PATH]... [--state DIR]\n"
         "                         [--web DIR] [--threads N]\n"
         "  --data   benchmark CSV file or folder (repeatable); device type from DEVICE= or the file name\n"
         "  --state  where the controller keeps trained predictors, its database and model artifacts\n";
}

Config parse_args(int argc, char** argv) {
  Config c;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const std::string& flag) -> std::string {
      if (i + 1 >= argc) throw FieldError(flag, flag + " needs a value");
      return argv[++i];
    };
    if (a == "--host") {
      c.host = value(a);
    } else if (a == "--port") {
      auto p = parse_int(value(a));
      if (!p || *p < 0 || *p > 65535) throw FieldError("--port", "--port must be 0-65535");
      c.port = static_cast<int>(*p);
    } else if (a == "--data") {
      c.data.push_back(value(a));
    } else if (a == "--state") {
      c.state_dir = value(a);
    } else if (a == "--web") {
      c.web_dir = value(a);
    } else if (a == "--threads") {
      auto t = parse_int(value(a));
      if (!t || *t < 2 || *t > 256) throw FieldError("--threads", "--threads must be 2-256");
      c.threads = static_cast<size_t>(*t);
    } else {
      throw FieldError(a, "unknown flag " + a);
    }
  }
  return c;
}

}  // namespace edgeml::controller
