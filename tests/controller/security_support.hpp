#pragma once
// Helpers of the controller's security tests: running the real command-line tools (credentials, certificates) and
// HTTP calls with a bearer token, cookies or any other header against the real services.
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "deploy_support.hpp"

namespace edgeml::security_test {

struct Run {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
// Runs a shell command line (paths of our own test folders only); waits for it.
Run run(const std::string& command_line);

// `edgeml-controller token create --role R --name N --state STATE`: the secret (the last word of the output).
std::string create_token(const std::filesystem::path& state, const std::string& role, const std::string& name);
// `edgeml-controller user add` with the password in EDGEML_PASSWORD.
void create_user(const std::filesystem::path& state, const std::string& name, const std::string& role,
                 const std::string& password);

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string raw;
  httplib::Headers headers;
  std::string header(const std::string& name) const;
};

// method GET/POST/PUT/DELETE; a body is sent as application/json unless content_type says otherwise.
Reply call(const deploy_test::Service& s, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body = "", httplib::Headers headers = {},
           const std::string& content_type = "application/json");

// A multipart upload of a model file (POST /api/models/upload) with a bearer token.
Reply upload_model(const deploy_test::Service& s, const std::string& token, const std::string& name,
                   const std::string& bytes);

std::string read_bytes(const std::filesystem::path& file);  // "" when missing
unsigned file_mode(const std::filesystem::path& file);

}  // namespace edgeml::security_test
