#pragma once
// Dashboard logins: a user name and password (argon2id) open a session; the browser keeps its key in an HttpOnly
// cookie and a second, readable value as the CSRF token. Only hashes of both are stored (the sessions table).
#include <string>

#include "common/clock.hpp"
#include "store/auth_store.hpp"

namespace edgeml::controller {

struct LoginResult {
  store::User user;
  std::string session_token;  // the HttpOnly cookie's value
  std::string csrf_token;     // the readable cookie's value, sent back in X-CSRF-Token
  double expires_at = 0;
};

class LoginSessions {
 public:
  LoginSessions(store::AuthStore& auth, const Clock& clock, double session_s);
  // Throws Error(unauthorized) with the same message for an unknown user and a wrong password, after the same work
  // (an unknown name is checked against a dummy hash), so the answer does not tell which names exist.
  LoginResult login(const std::string& name, const std::string& password);
  void logout(const std::string& session_token);
  double session_s() const { return session_s_; }

 private:
  store::AuthStore& auth_;
  const Clock& clock_;
  double session_s_;
};

}  // namespace edgeml::controller
