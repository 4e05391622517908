#pragma once
// Who may do what on the controller, in one object the app owns (issue 16): the master key file of the state folder
// (sealing device tokens, signing model links), the tables of schema version 4, the Authenticator and audit observer
// given to the http::Server, logins, enrollment, and the rate limits of registration and login. Route files reach
// these parts through ControllerApp::security().
#include <filesystem>
#include <memory>
#include <string>

#include "common/clock.hpp"
#include "controller/access_control.hpp"
#include "controller/audit_recorder.hpp"
#include "controller/enrollment_service.hpp"
#include "controller/login_sessions.hpp"
#include "controller/rate_limiter.hpp"
#include "http/server.hpp"
#include "secrets/master_key.hpp"
#include "secrets/sealer.hpp"
#include "secrets/url_signer.hpp"
#include "store/auth_store.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

struct SecuritySettings {
  std::string host = "127.0.0.1";  // where the server listens: a non-loopback address always requires credentials
  bool require_auth = false;       // --require-auth: also on loopback
  double session_s = 12 * 3600;    // a dashboard login lasts this long
  double model_link_ttl_s = 900;   // signed model links stay valid this long
  std::filesystem::path key_file;  // <state>/secret.key (0600)
};

class Security {
 public:
  // Opens (or creates) the key file; seals device tokens an older release stored in plain text.
  Security(SecuritySettings settings, store::Store& store, const Clock& clock);
  ~Security();

  // True when a request without credentials is anonymous (non-loopback host or --require-auth).
  bool required() const { return access_.required(); }
  // Throws Error(unavailable) when credentials are required and no user or (non-enrollment) token exists, with
  // `create_hint`: the command that makes the first one.
  void check_can_start(const std::string& create_hint);
  // For the http::Server.
  http::Authenticator authenticator();
  http::RequestObserver observer();
  // "/models/x.onnx" -> "/models/x.onnx?expires=...&signature=..." (the link an agent is sent in a deploy).
  std::string model_link(const std::string& path) const;

  store::AuthStore& auth() { return auth_; }
  LoginSessions& logins() { return logins_; }
  EnrollmentService& enrollments() { return enrollments_; }
  AuditRecorder& audit() { return audit_; }
  RateLimiter& registration_limit() { return registrations_; }  // POST /api/devices, new enrollments
  RateLimiter& login_limit() { return login_attempts_; }
  const Clock& clock() const { return clock_; }

 private:
  class DeviceTokenSealer;
  SecuritySettings settings_;
  const Clock& clock_;
  secrets::MasterKey key_;
  secrets::Sealer sealer_;
  secrets::UrlSigner links_;
  std::unique_ptr<DeviceTokenSealer> device_sealer_;
  store::Store& store_;
  store::AuthStore auth_;
  RateLimiter registrations_;
  RateLimiter login_attempts_;
  AccessControl access_;
  LoginSessions logins_;
  EnrollmentService enrollments_;
  AuditRecorder audit_;
};

}  // namespace edgeml::controller
