#include "controller/admin_cli.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/names.hpp"
#include "controller/config.hpp"
#include "controller/roles.hpp"
#include "secrets/passwords.hpp"
#include "secrets/tokens.hpp"
#include "store/auth_store.hpp"
#include "store/store.hpp"

namespace edgeml::controller {

namespace {

struct AdminArgs {
  std::string noun, verb, name, role;
  std::vector<std::string> store_flags;  // --state / --db, handed to the server's own parser
};

AdminArgs parse(const std::vector<std::string>& args) {
  AdminArgs a;
  if (args.size() < 2) throw FieldError("command", "expected: token|user <verb> [flags]");
  a.noun = args[0];
  a.verb = args[1];
  for (size_t i = 2; i < args.size(); ++i) {
    const std::string& f = args[i];
    if (i + 1 >= args.size()) throw FieldError(f, f + " needs a value");
    const std::string& v = args[++i];
    if (f == "--name") {
      a.name = v;
    } else if (f == "--role") {
      a.role = v;
    } else if (f == "--state" || f == "--db") {
      a.store_flags.push_back(f);
      a.store_flags.push_back(v);
    } else {
      throw FieldError(f, "unknown flag " + f + " (token/user commands take --name, --role, --state, --db)");
    }
  }
  return a;
}

std::string store_location(const AdminArgs& a) {
  std::vector<std::string> argv_text{"edgeml-controller"};
  argv_text.insert(argv_text.end(), a.store_flags.begin(), a.store_flags.end());
  std::vector<char*> argv;
  for (auto& s : argv_text) argv.push_back(s.data());
  Config c = parse_args(static_cast<int>(argv.size()), argv.data());
  if (!c.db_url.empty()) return c.db_url;
  std::filesystem::create_directories(c.state_dir);
  return (c.state_dir / "controller.db").string();
}

std::string require(const std::string& value, const std::string& flag) {
  if (value.empty()) throw FieldError(flag, flag + " is required");
  return value;
}

std::string read_password(const char* env_password, std::FILE* in) {
  std::string pw;
  if (env_password && *env_password) {
    pw = env_password;
  } else {
    char buf[1100];
    if (!std::fgets(buf, sizeof buf, in)) throw FieldError("password", "no password on stdin (one line)");
    pw = buf;
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
  }
  secrets::validate_password(pw);
  return pw;
}

void token_command(const AdminArgs& a, store::AuthStore& auth, const Clock& clock, std::FILE* out) {
  if (a.verb == "create") {
    store::ApiToken t;
    t.name = require(a.name, "--name");
    validate_name(t.name, "--name");
    t.role = require(a.role, "--role");
    role_from_name(t.role, "--role");
    std::string secret = secrets::random_token("emt");
    t.token_hash = secrets::token_hash(secret);
    t.created_by = "command line";
    t.created_at = clock.now_s();
    auto saved = auth.tokens().add(t);
    std::fprintf(out, "token '%s' (role %s, id %lld) created; it is shown only now, keep it safe:\n%s\n",
                 saved.name.c_str(), saved.role.c_str(), saved.id, secret.c_str());
  } else if (a.verb == "list") {
    for (const auto& t : auth.tokens().all())
      std::fprintf(out, "%lld\t%s\t%s\t%s\n", t.id, t.name.c_str(), t.role.c_str(),
                   t.revoked_at ? "revoked" : "active");
  } else if (a.verb == "revoke") {
    std::string name = require(a.name, "--name");
    for (const auto& t : auth.tokens().all())
      if (t.name == name && !t.revoked_at && auth.tokens().revoke(t.id, clock.now_s())) {
        std::fprintf(out, "token '%s' (id %lld) revoked\n", name.c_str(), t.id);
        return;
      }
    throw NotFoundError("no active token named '" + name + "'", "--name");
  } else {
    throw FieldError("command", "token commands: create, list, revoke");
  }
}

void user_command(const AdminArgs& a, store::AuthStore& auth, const Clock& clock, const char* env_password,
                  std::FILE* in, std::FILE* out) {
  if (a.verb == "add") {
    store::User u;
    u.name = require(a.name, "--name");
    validate_name(u.name, "--name");
    u.role = require(a.role, "--role");
    if (role_from_name(u.role, "--role") == http::Role::device)
      throw FieldError("--role", "a user's role is viewer, operator or admin");
    u.password_hash = secrets::hash_password(read_password(env_password, in));
    u.created_by = "command line";
    u.created_at = clock.now_s();
    auto saved = auth.users().add(u);
    std::fprintf(out, "user '%s' (role %s, id %lld) created\n", saved.name.c_str(), saved.role.c_str(), saved.id);
  } else if (a.verb == "passwd") {
    auto u = auth.users().by_name(require(a.name, "--name"));
    if (!u) throw NotFoundError("no user named '" + a.name + "'", "--name");
    auth.users().set_password(u->id, secrets::hash_password(read_password(env_password, in)));
    std::fprintf(out, "password of '%s' changed; its sessions ended\n", u->name.c_str());
  } else if (a.verb == "list") {
    for (const auto& u : auth.users().all()) std::fprintf(out, "%lld\t%s\t%s\n", u.id, u.name.c_str(), u.role.c_str());
  } else if (a.verb == "remove") {
    auto u = auth.users().by_name(require(a.name, "--name"));
    if (!u || !auth.users().remove(u->id)) throw NotFoundError("no user named '" + a.name + "'", "--name");
    std::fprintf(out, "user '%s' removed\n", a.name.c_str());
  } else {
    throw FieldError("command", "user commands: add, passwd, list, remove");
  }
}

}  // namespace

bool is_admin_command(int argc, char** argv) {
  return argc > 1 && (std::string(argv[1]) == "token" || std::string(argv[1]) == "user");
}

std::string admin_usage() {
  return "usage: edgeml-controller token create --role viewer|operator|admin|device --name NAME [--state DIR] "
         "[--db URL]\n"
         "       edgeml-controller token list|revoke [--name NAME] [--state DIR] [--db URL]\n"
         "       edgeml-controller user add --name NAME --role viewer|operator|admin [--state DIR] [--db URL]\n"
         "       edgeml-controller user passwd|remove --name NAME | user list\n"
         "  A device token is an enrollment token: agents started with it may ask to join (an admin accepts them).\n"
         "  Passwords are read from stdin (one line) or EDGEML_PASSWORD.\n";
}

int run_admin_command(const std::vector<std::string>& args, const char* env_password, std::FILE* in, std::FILE* out,
                      std::FILE* err) {
  AdminArgs a;
  if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
    std::fputs(admin_usage().c_str(), out);
    return 0;
  }
  try {
    a = parse(args);
    static const std::vector<std::string> token_verbs{"create", "list", "revoke"},
        user_verbs{"add", "passwd", "list", "remove"};
    const auto& verbs = a.noun == "token" ? token_verbs : user_verbs;
    if (std::find(verbs.begin(), verbs.end(), a.verb) == verbs.end())
      throw FieldError("command", "unknown command '" + a.noun + " " + a.verb + "'");
  } catch (const FieldError& e) {
    std::fprintf(err, "edgeml-controller: %s\n%s", e.what(), admin_usage().c_str());
    return 2;
  }
  try {
    store::Store db(store_location(a));
    store::AuthStore auth(db.db());
    SystemClock clock;
    if (a.noun == "token")
      token_command(a, auth, clock, out);
    else
      user_command(a, auth, clock, env_password, in, out);
    return 0;
  } catch (const FieldError& e) {
    std::fprintf(err, "edgeml-controller: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(err, "edgeml-controller: %s\n", e.what());
    return 1;
  }
}

}  // namespace edgeml::controller
