#include "controller/login_sessions.hpp"

#include <mutex>

#include "common/error.hpp"
#include "secrets/passwords.hpp"
#include "secrets/tokens.hpp"

namespace edgeml::controller {

namespace {
const std::string& dummy_hash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] { hash = secrets::hash_password(secrets::random_token("dummy")); });
  return hash;
}
}  // namespace

LoginSessions::LoginSessions(store::AuthStore& auth, const Clock& clock, double session_s)
    : auth_(auth), clock_(clock), session_s_(session_s) {}

LoginResult LoginSessions::login(const std::string& name, const std::string& password) {
  auto user = auth_.users().by_name(name);
  bool ok = secrets::verify_password(user ? user->password_hash : dummy_hash(), password);
  if (!user || !ok) throw Error(ErrorKind::unauthorized, "wrong user name or password", "password");
  const double now = clock_.now_s();
  auth_.sessions().purge_expired(now);
  LoginResult r;
  r.user = *user;
  r.session_token = secrets::random_token("ems");
  r.csrf_token = secrets::random_token("emc");
  r.expires_at = now + session_s_;
  store::Session s;
  s.user_id = user->id;
  s.token_hash = secrets::token_hash(r.session_token);
  s.csrf_hash = secrets::token_hash(r.csrf_token);
  s.created_at = now;
  s.expires_at = r.expires_at;
  auth_.sessions().add(s);
  auth_.users().mark_login(user->id, now);
  return r;
}

void LoginSessions::logout(const std::string& session_token) {
  auth_.sessions().remove_by_hash(secrets::token_hash(session_token));
}

}  // namespace edgeml::controller
