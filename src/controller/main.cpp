// edgeml-controller: the workstation service (catalog, recommendations, energy prediction, deploy, fleet, dashboard).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/admin_cli.hpp"
#include "controller/app.hpp"

int main(int argc, char** argv) {
  if (edgeml::controller::is_admin_command(argc, argv))  // token/user management, then exit
    return edgeml::controller::run_admin_command(std::vector<std::string>(argv + 1, argv + argc),
                                                 std::getenv("EDGEML_PASSWORD"), stdin, stdout, stderr);
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
    std::printf("edgeml-controller listening on %s://%s:%d\n", config.tls_cert.empty() ? "http" : "https",
                config.host.c_str(), port);
    std::fflush(stdout);
    app.serve();
    return 0;
  } catch (const std::exception& e) {
    edgeml::log::error("controller", e.what());
    return 1;
  }
}
