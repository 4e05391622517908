#include "controller/app.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/predictors.hpp"

namespace edgeml::controller {

ControllerApp::ControllerApp(Config config) : config_(std::move(config)) {}
ControllerApp::~ControllerApp() { stop(); }

void ControllerApp::init() {
  for (const auto& d : config_.data) {
    auto source = catalog::DataSource::parse(d);
    size_t n = catalog_.load(source);
    log::info("controller", "loaded " + std::to_string(n) + " benchmark rows from " + source.path.string());
  }
  std::filesystem::create_directories(config_.state_dir);
  predictors_ = load_or_train_predictors(catalog_, config_.state_dir / "predictors");
  http::ServerLimits limits;
  limits.threads = config_.threads;
  http::configure_server(server_, limits, "controller");
  register_routes();
}

void ControllerApp::register_routes() {
  http::Router router(server_, metrics_, "controller");
  register_catalog_routes(*this, router);
  register_predict_routes(*this, router);
  register_ops_routes(*this, router);
  if (!config_.web_dir.empty()) server_.set_mount_point("/", config_.web_dir.string());
}

int ControllerApp::bind() {
  int port = config_.port == 0 ? server_.bind_to_any_port(config_.host)
                               : (server_.bind_to_port(config_.host, config_.port) ? config_.port : -1);
  if (port < 0) throw std::runtime_error("cannot listen on " + config_.host + ":" + std::to_string(config_.port));
  return port;
}

void ControllerApp::serve() { server_.listen_after_bind(); }

void ControllerApp::stop() {
  if (server_.is_running()) server_.stop();
}

std::string ControllerApp::resolve_device(const std::string& requested) const {
  if (!requested.empty()) {
    std::string d = catalog::normalize_device_type(requested);
    if (!catalog_.has_device(d)) {
      std::string known;
      for (const auto& k : catalog_.device_types()) known += (known.empty() ? "" : ", ") + k;
      throw NotFoundError("unknown device_type '" + d + "' (catalog has: " + (known.empty() ? "none" : known) + ")",
                          "device_type");
    }
    return d;
  }
  auto devices = catalog_.device_types();
  if (catalog_.has_device("jetson_nano")) return "jetson_nano";
  if (devices.size() == 1) return devices.front();
  if (devices.empty()) throw NotFoundError("the catalog is empty: start the controller with --data", "device_type");
  throw FieldError("device_type", "device_type is required when the catalog holds several devices");
}

}  // namespace edgeml::controller
