#pragma once
// edgeml-controller token|user ...: managing credentials from the machine itself, against the same state folder or
// database as the server (--state DIR, --db URL; the server may be running):
//   token create --role viewer|operator|admin|device --name N   the secret is printed once, as the last word
//   token list | token revoke --name N
//   user add --name N --role R | user passwd --name N          the password is read from stdin (one line) or
//   user list | user remove --name N                            EDGEML_PASSWORD, never from a flag (ps shows flags)
#include <cstdio>
#include <string>
#include <vector>

namespace edgeml::controller {

// True for argv[1] = "token" or "user".
bool is_admin_command(int argc, char** argv);
// Runs it; output to `out`, errors to `err`; returns the exit code (0 ok, 1 failed, 2 bad usage).
int run_admin_command(const std::vector<std::string>& args, const char* env_password, std::FILE* in, std::FILE* out,
                      std::FILE* err);
std::string admin_usage();

}  // namespace edgeml::controller
