#pragma once
// A small fleet's own certificate authority (edgeml certs): one CA, a certificate for the controller, and one for
// each agent or broker that serves TLS, so `--controller-ca ca.crt` on a device is all it needs to trust the site.
// EC P-256 keys, SHA-256 signatures, subjectAltName entries for every name and address a peer dials. Private keys are
// written 0600 (secret_files.hpp), certificates 0644.
#include <filesystem>
#include <string>
#include <vector>

namespace edgeml::secrets {

struct CertificatePaths {
  std::filesystem::path cert, key;
};

// <dir>/ca.crt and <dir>/ca.key: a self-signed CA (basicConstraints CA:TRUE, pathlen 0) valid for `days`.
// Throws Error(conflict, field "--out") when ca.key exists already (never overwrite a CA others trust).
CertificatePaths create_ca(const std::filesystem::path& dir, const std::string& common_name, int days);

struct LeafRequest {
  std::string common_name;         // the device or service name (an MQTT broker maps it to the user name)
  std::vector<std::string> hosts;  // host names (DNS entries) and IP addresses (IP entries) peers connect to
  int days = 825;
};

// <dir>/<stem>.crt and .key signed by the CA (serverAuth and clientAuth). Throws FieldError naming the field for a
// bad host or name, Error(unavailable) when the CA files cannot be read.
CertificatePaths issue_certificate(const CertificatePaths& ca, const std::filesystem::path& dir,
                                   const std::string& stem, const LeafRequest& request);

// The subject CN and the subjectAltName entries of a PEM certificate ("DNS:localhost", "IP:127.0.0.1"), for tests
// and for `edgeml certs` to print what it made.
struct CertificateSummary {
  std::string subject_cn, issuer_cn;
  std::vector<std::string> alt_names;
  bool is_ca = false;
};
CertificateSummary describe_certificate(const std::filesystem::path& cert);

}  // namespace edgeml::secrets
