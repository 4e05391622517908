// edgeml certs init --out DIR --host HOST... [--name controller] [--ca-name NAME] [--days N]
// edgeml certs issue --ca DIR --name NAME --host HOST... [--out DIR] [--days N]
// A small fleet's own certificate authority (src/secrets/certificates.hpp): `init` makes the CA and the controller's
// certificate, `issue` one more certificate signed by it (an agent serving TLS, the MQTT broker, a device's MQTT
// client certificate: its CN is the device name). Keys are written 0600; the CA key never needs to leave DIR.
#include <algorithm>
#include <cstdio>

#include "common/error.hpp"
#include "secrets/certificates.hpp"
#include "tool/command.hpp"

namespace {

namespace fs = std::filesystem;

void usage() {
  std::fprintf(stderr,
               "usage: edgeml certs init --out DIR --host HOST... [--name controller] [--ca-name NAME] [--days N]\n"
               "       edgeml certs issue --ca DIR --name NAME --host HOST... [--out DIR] [--days N]\n"
               "  init   DIR/ca.crt + ca.key (the fleet's CA) and DIR/<name>.crt + .key for the controller, valid for\n"
               "         every --host (names and IP addresses the devices use; localhost and 127.0.0.1 are added)\n"
               "  issue  DIR/<name>.crt + .key signed by the CA in --ca (an agent with --tls-cert, the MQTT broker, a\n"
               "         device's MQTT client certificate whose CN is its name)\n"
               "  Then: edgeml-controller --tls-cert DIR/controller.crt --tls-key DIR/controller.key, and on each\n"
               "  device edgeml-agent --controller https://HOST:5000 --controller-ca ca.crt (copy ca.crt only).\n");
}

void print_made(const edgeml::secrets::CertificatePaths& p) {
  auto s = edgeml::secrets::describe_certificate(p.cert);
  std::string names;
  for (const auto& n : s.alt_names) names += (names.empty() ? "" : ", ") + n;
  std::printf("%s\t%s\tCN=%s%s%s\n", p.cert.c_str(), p.key.c_str(), s.subject_cn.c_str(), names.empty() ? "" : "\t",
              names.c_str());
}

int run_certs(const edgeml::tool::Args& args) {
  using namespace edgeml;
  if (args.empty() || args[0] == "--help") {
    usage();
    return args.empty() ? 2 : 0;
  }
  const std::string verb = args[0];
  tool::Flags flags(tool::Args(args.begin() + 1, args.end()),
                    {"--out", "--host", "--name", "--ca-name", "--days", "--ca"}, {"--help"});
  int days = static_cast<int>(flags.number("--days", 825));  // 825 days: the longest browsers accept for a server
  auto hosts = flags.all("--host");
  if (verb == "init") {
    if (!flags.has("--out")) throw FieldError("--out", "--out DIR is required");
    if (hosts.empty()) throw FieldError("--host", "at least one --host (how devices reach the controller)");
    for (const char* local : {"localhost", "127.0.0.1"})
      if (std::find(hosts.begin(), hosts.end(), local) == hosts.end()) hosts.push_back(local);
    fs::path out = flags.get("--out");
    auto ca = secrets::create_ca(out, flags.get("--ca-name", "edgeml fleet CA"), 3650);
    std::string name = flags.get("--name", "controller");
    auto leaf = secrets::issue_certificate(ca, out, name, {name, hosts, days});
    print_made(ca);
    print_made(leaf);
    return 0;
  }
  if (verb == "issue") {
    if (!flags.has("--ca")) throw FieldError("--ca", "--ca DIR (where ca.crt and ca.key are) is required");
    if (!flags.has("--name")) throw FieldError("--name", "--name is required (the device or service name)");
    if (hosts.empty()) throw FieldError("--host", "at least one --host (how peers reach it)");
    fs::path ca_dir = flags.get("--ca");
    secrets::CertificatePaths ca{ca_dir / "ca.crt", ca_dir / "ca.key"};
    std::string name = flags.get("--name");
    print_made(secrets::issue_certificate(ca, flags.get("--out", ca_dir.string()), name, {name, hosts, days}));
    return 0;
  }
  usage();
  return 2;
}

edgeml::tool::Registrar reg{"certs", "a small fleet's CA and TLS certificates (controller, agents, broker)", run_certs};

}  // namespace
