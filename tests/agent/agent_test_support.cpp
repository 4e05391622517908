#include "agent_test_support.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <onnx/onnx_pb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>

#include "common/sha256.hpp"

namespace edgeml::agent_test {

std::string tiny_onnx(float scale) {
  ::onnx::ModelProto model;
  model.set_ir_version(7);
  model.set_producer_name("edgeml-agent-test");
  model.add_opset_import()->set_version(13);
  auto* g = model.mutable_graph();
  g->set_name("tiny");
  auto add_value = [](::onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(::onnx::TensorProto::FLOAT);
    for (auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  add_value(g->add_input(), "x", {1, 3, 4, 4});
  add_value(g->add_output(), "y", {1, 3});
  auto* init = g->add_initializer();
  init->set_name("scale");
  init->set_data_type(::onnx::TensorProto::FLOAT);
  init->add_float_data(scale);
  auto node = [&](const std::string& op, std::vector<std::string> in, const std::string& out) {
    auto* n = g->add_node();
    n->set_op_type(op);
    for (auto& i : in) n->add_input(i);
    n->add_output(out);
  };
  node("Mul", {"x", "scale"}, "scaled");
  node("GlobalAveragePool", {"scaled"}, "pooled");
  node("Flatten", {"pooled"}, "y");
  std::string bytes;
  model.SerializeToString(&bytes);
  return bytes;
}

std::string matmul_onnx(int layers, int width) {
  ::onnx::ModelProto model;
  model.set_ir_version(7);
  model.set_producer_name("edgeml-agent-test");
  model.add_opset_import()->set_version(13);
  auto* g = model.mutable_graph();
  g->set_name("matmul_chain");
  auto add_value = [](::onnx::ValueInfoProto* v, const std::string& name, std::vector<int64_t> dims) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(::onnx::TensorProto::FLOAT);
    for (auto d : dims) t->mutable_shape()->add_dim()->set_dim_value(d);
  };
  add_value(g->add_input(), "x", {1, width});
  add_value(g->add_output(), "y", {1, width});
  std::string prev = "x";
  for (int l = 0; l < layers; ++l) {
    const std::string w = "w" + std::to_string(l), mm = "mm" + std::to_string(l),
                      out = l + 1 == layers ? "y" : "h" + std::to_string(l);
    auto* init = g->add_initializer();
    init->set_name(w);
    init->set_data_type(::onnx::TensorProto::FLOAT);
    init->add_dims(width);
    init->add_dims(width);
    std::vector<float> values(static_cast<size_t>(width) * width);
    for (size_t i = 0; i < values.size(); ++i) values[i] = 1.0f / static_cast<float>(width) * ((i % 7) == 0 ? 1 : 0.5f);
    init->set_raw_data(values.data(), values.size() * sizeof(float));
    auto* n = g->add_node();
    n->set_op_type("MatMul");
    n->add_input(prev);
    n->add_input(w);
    n->add_output(mm);
    auto* r = g->add_node();
    r->set_op_type("Relu");
    r->add_input(mm);
    r->add_output(out);
    prev = out;
  }
  std::string bytes;
  model.SerializeToString(&bytes);
  return bytes;
}

AgentProcess::AgentProcess(const std::filesystem::path& state, std::vector<std::string> extra_args,
                           std::map<std::string, std::string> env) {
  // The agent closes a connection whose upload it refused; the client's next write must fail, not kill the test.
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> argv{
      testing::bin("edgeml-agent"), "--host", "127.0.0.1", "--port", "0", "--state", state.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  proc_ = std::make_unique<testing::ChildProcess>(argv, env);
  port_ = proc_->wait_for_port(std::chrono::seconds(60));
}

httplib::Client AgentProcess::client() const {
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(30, 0);
  c.set_connection_timeout(5, 0);
  if (!token.empty()) c.set_bearer_token_auth(token);
  return c;
}

nlohmann::json AgentProcess::status() const {
  auto c = client();
  auto r = c.Get("/status");
  if (!r) throw std::runtime_error("GET /status failed: " + httplib::to_string(r.error()) + "\n" + log_tail());
  if (r->status != 200) throw std::runtime_error("GET /status answered " + std::to_string(r->status));
  return nlohmann::json::parse(r->body);
}

httplib::Result AgentProcess::put_model(const std::string& name, const std::string& bytes, std::string sha,
                                        const std::string& query) const {
  if (sha.empty()) sha = sha256_hex(bytes);
  auto c = client();
  httplib::Headers h{{"X-Content-SHA256", sha}};
  return c.Put(("/models/" + name + query).c_str(), h, bytes, "application/octet-stream");
}

httplib::Result AgentProcess::activate(const std::string& name, const std::string& sha) const {
  auto c = client();
  return c.Post(("/models/" + name + "/activate?sha256=" + sha).c_str());
}

std::string active_sha(const nlohmann::json& status) {
  if (!status.contains("active_model") || status["active_model"].is_null()) return "";
  return status["active_model"].value("sha256", "");
}

RawUpload::RawUpload(int port, const std::string& name, const std::string& sha, size_t length)
    : RawUpload(port, "PUT", "/models/" + name,
                "X-Content-SHA256: " + sha + "\r\nContent-Type: application/octet-stream\r\n", length) {}

RawUpload::RawUpload(int port, const std::string& method, const std::string& path, const std::string& headers,
                     size_t length) {
  fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("connect");
  std::string head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                     "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  send_body(head);
}

RawUpload::~RawUpload() { close(); }

void RawUpload::send_body(const std::string& bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return;  // the agent stopped reading (it answered already)
    off += static_cast<size_t>(n);
  }
}

std::string RawUpload::response() {
  std::string out, buf(4096, '\0');
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ssize_t n;
  while ((n = ::recv(fd, buf.data(), buf.size(), 0)) > 0) {
    out.append(buf.data(), static_cast<size_t>(n));
    if (out.find("\r\n\r\n") != std::string::npos && out.find('}') != std::string::npos) break;
  }
  return out;
}

void RawUpload::close() {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace edgeml::agent_test
