#include "controller/security.hpp"

#include "common/error.hpp"
#include "common/log.hpp"
#include "controller/roles.hpp"

namespace edgeml::controller {

// The devices table's TokenSealer: secretbox under the key file's sealing sub-key.
class Security::DeviceTokenSealer : public store::TokenSealer {
 public:
  explicit DeviceTokenSealer(const secrets::Sealer& s) : s_(s) {}
  std::string seal(const std::string& token) const override { return s_.seal(token); }
  std::string unseal(const std::string& stored) const override { return s_.unseal(stored); }
  bool is_sealed(const std::string& stored) const override { return secrets::Sealer::is_sealed(stored); }

 private:
  const secrets::Sealer& s_;
};

Security::Security(SecuritySettings settings, store::Store& store, const Clock& clock)
    : settings_(std::move(settings)),
      clock_(clock),
      key_(secrets::MasterKey::load_or_create(settings_.key_file)),
      sealer_(key_),
      links_(key_),
      device_sealer_(std::make_unique<DeviceTokenSealer>(sealer_)),
      store_(store),
      auth_(store.db()),
      // A site registers a handful of devices at a time; a script creating thousands is refused.
      registrations_(clock, "device registrations", 20, 10),
      // Ten guesses at once, then one every 6 s per address (argon2id makes each one cost us too).
      login_attempts_(clock, "login attempts", 10, 10),
      access_(auth_, links_, clock, settings_.require_auth || !is_loopback_host(settings_.host)),
      logins_(auth_, clock, settings_.session_s),
      enrollments_(auth_, store.devices(), sealer_, clock, registrations_),
      audit_(auth_.audit(), clock) {
  store_.devices().use_sealer(device_sealer_.get());
  if (int n = store_.devices().seal_stored_tokens())
    log::info("controller",
              "sealed " + std::to_string(n) + " device token(s) stored in plain text by an older release");
}

Security::~Security() {
  audit_.flush();
  store_.devices().use_sealer(nullptr);
}

void Security::check_can_start(const std::string& create_hint) {
  if (!required()) return;
  bool any_user = auth_.users().count() > 0;
  bool any_token = false;
  for (const auto& t : auth_.tokens().all())
    if (!t.revoked_at && t.role != "device") any_token = true;
  if (any_user || any_token) return;
  throw Error(
      ErrorKind::unavailable,
      std::string("refusing to start: ") +
          (is_loopback_host(settings_.host) ? "--require-auth is set"
                                            : "listening on " + settings_.host + " (not loopback)") +
          " but no user or API token exists, so nobody could use the controller. Create one first: " + create_hint,
      "--host");
}

http::Authenticator Security::authenticator() {
  return [this](const http::Request& req) { return access_.identify(req); };
}

http::RequestObserver Security::observer() {
  return [this](const http::Request& req, const http::Response& res, const http::RouteOptions* route) {
    audit_.record(req, res, route);
  };
}

std::string Security::model_link(const std::string& path) const {
  auto expires = static_cast<long long>(clock_.now_s() + settings_.model_link_ttl_s);
  return path + "?" + links_.query(path, expires);
}

}  // namespace edgeml::controller
