#include "security_support.hpp"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "child_process.hpp"

namespace edgeml::security_test {

Run run(const std::string& command_line) {
  Run r;
  FILE* p = ::popen((command_line + " 2>&1").c_str(), "r");
  if (!p) throw std::runtime_error("cannot run " + command_line);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string create_token(const std::filesystem::path& state, const std::string& role, const std::string& name) {
  auto r = run(testing::bin("edgeml-controller") + " token create --role " + role + " --name " + name + " --state " +
               state.string());
  if (r.exit_code != 0) throw std::runtime_error("token create failed: " + r.output);
  std::string out = r.output;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out.substr(out.find_last_of(" \n") + 1);
}

void create_user(const std::filesystem::path& state, const std::string& name, const std::string& role,
                 const std::string& password) {
  auto r = run("EDGEML_PASSWORD='" + password + "' " + testing::bin("edgeml-controller") + " user add --name " + name +
               " --role " + role + " --state " + state.string());
  if (r.exit_code != 0) throw std::runtime_error("user add failed: " + r.output);
}

std::string Reply::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

Reply call(const deploy_test::Service& s, const std::string& method, const std::string& path, const std::string& token,
           const std::string& body, httplib::Headers headers, const std::string& content_type) {
  auto c = s.client();
  if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
  auto send = [&]() -> httplib::Result {
    if (method == "GET") return c.Get(path, headers);
    if (method == "POST") return c.Post(path, headers, body, content_type);
    if (method == "PUT") return c.Put(path, headers, body, content_type);
    if (method == "PATCH") return c.Patch(path, headers, body, content_type);
    if (method == "DELETE") return c.Delete(path, headers, body, content_type);
    throw std::runtime_error("method " + method);
  };
  auto r = send();
  if (!r) throw std::runtime_error(method + " " + path + ": no answer (" + httplib::to_string(r.error()) + ")");
  Reply out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  out.headers = r->headers;
  return out;
}

Reply upload_model(const deploy_test::Service& s, const std::string& token, const std::string& name,
                   const std::string& bytes) {
  auto c = s.client();
  httplib::MultipartFormDataItems items{{"file", bytes, name + ".onnx", "application/octet-stream"},
                                        {"model_name", name, "", ""}};
  auto r = c.Post("/api/models/upload", {{"Authorization", "Bearer " + token}}, items);
  if (!r) throw std::runtime_error("upload: no answer");
  Reply out;
  out.status = r->status;
  out.raw = r->body;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  return out;
}

std::string read_bytes(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

unsigned file_mode(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

}  // namespace edgeml::security_test
