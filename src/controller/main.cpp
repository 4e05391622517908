// edgeml-controller: the workstation service (catalog, recommendations, energy prediction, deploy, fleet, dashboard).
#include <cstdio>

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/app.hpp"

int main(int argc, char** argv) {
  edgeml::controller::Config config;
  try {
    for (int i = 1; i < argc; ++i)
      if (std::string(argv[i]) == "--help") {
        std::fputs(edgeml::controller::usage().c_str(), stdout);
        return 0;
      }
    config = edgeml::controller::parse_args(argc, argv);
  } catch (const edgeml::FieldError& e) {
    std::fprintf(stderr, "edgeml-controller: %s\n%s", e.what(), edgeml::controller::usage().c_str());
    return 2;
  }
  try {
    edgeml::controller::ControllerApp app(config);
    app.init();
    int port = app.bind();  // SIGINT/SIGTERM are handled by the server (serve() returns)
    // One machine-readable line, so scripts and tests that start us on port 0 learn the port.
    std::printf("edgeml-controller listening on http://%s:%d\n", config.host.c_str(), port);
    std::fflush(stdout);
    app.serve();
    return 0;
  } catch (const std::exception& e) {
    edgeml::log::error("controller", e.what());
    return 1;
  }
}
