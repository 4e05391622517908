#include "secrets/certificates.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <functional>
#include <memory>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/names.hpp"
#include "secrets/secret_files.hpp"

namespace edgeml::secrets {

namespace fs = std::filesystem;

namespace {

template <class T, void (*F)(T*)>
struct Deleter {
  void operator()(T* p) const { F(p); }
};
using Key = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

[[noreturn]] void openssl_failed(const std::string& what) {
  unsigned long code = ERR_get_error();
  char buf[256] = "unknown error";
  if (code) ERR_error_string_n(code, buf, sizeof buf);
  ERR_clear_error();
  throw Error(ErrorKind::internal, what + ": " + buf);
}

Key new_key() {
  Key k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!k) openssl_failed("cannot make an EC P-256 key");
  return k;
}

std::string pem_of(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) openssl_failed("cannot write PEM");
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(n));
}

Bio bio_of(const std::string& text) {
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) openssl_failed("out of memory");
  return bio;
}

void add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) openssl_failed("cannot add extension " + std::string(OBJ_nid2sn(nid)) + "=" + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate with a random 128-bit serial, valid from 5 minutes ago (clocks of small devices drift) for `days`.
Cert new_cert(EVP_PKEY* key, const std::string& cn, int days) {
  Cert c(X509_new());
  if (!c) openssl_failed("out of memory");
  X509_set_version(c.get(), 2);
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> serial(BN_new());
  if (!serial || !BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(c.get())))
    openssl_failed("cannot make a serial number");
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), static_cast<long>(days) * 86400L);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  if (!X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                  0))
    openssl_failed("cannot set the common name '" + cn + "'");
  return c;
}

void write_pair(const CertificatePaths& out, X509* cert, EVP_PKEY* key) {
  write_secret_file(
      out.key, pem_of([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); }));
  write_file_atomic(out.cert, pem_of([&](BIO* b) { return PEM_write_bio_X509(b, cert); }));
  fs::permissions(out.cert,
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

Cert read_cert(const fs::path& file) {
  std::string text;
  try {
    text = read_file(file);
  } catch (const std::exception& e) {
    throw Error(ErrorKind::unavailable, e.what(), file.string());
  }
  auto bio = bio_of(text);
  Cert c(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!c) throw Error(ErrorKind::unavailable, file.string() + " is not a PEM certificate", file.string());
  return c;
}

std::string cn_of(X509_NAME* name) {
  char buf[256] = {};
  if (X509_NAME_get_text_by_NID(name, NID_commonName, buf, sizeof buf) < 0) return "";
  return buf;
}

bool is_ip(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

void check_host(const std::string& host) {
  if (host.empty() || host.size() > 253) throw FieldError("--host", "--host must be 1-253 characters");
  if (is_ip(host)) return;
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '*'))
      throw FieldError("--host", "--host '" + host + "' is neither an IP address nor a host name");
}

}  // namespace

CertificatePaths create_ca(const fs::path& dir, const std::string& common_name, int days) {
  if (days < 1 || days > 36500) throw FieldError("--days", "--days must be 1-36500");
  fs::create_directories(dir);
  CertificatePaths out{dir / "ca.crt", dir / "ca.key"};
  if (fs::exists(out.key))
    throw Error(ErrorKind::conflict,
                out.key.string() + " exists already: a CA others trust is never replaced (use another --out)", "--out");
  auto key = new_key();
  auto cert = new_cert(key.get(), common_name, days);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get()));
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  if (!X509_sign(cert.get(), key.get(), EVP_sha256())) openssl_failed("cannot sign the CA certificate");
  write_pair(out, cert.get(), key.get());
  return out;
}

CertificatePaths issue_certificate(const CertificatePaths& ca, const fs::path& dir, const std::string& stem,
                                   const LeafRequest& request) {
  validate_name(stem, "--name");
  if (request.common_name.empty() || request.common_name.size() > 64)
    throw FieldError("--name", "the certificate's name must be 1-64 characters");
  if (request.days < 1 || request.days > 36500) throw FieldError("--days", "--days must be 1-36500");
  std::string alt;
  for (const auto& h : request.hosts) {
    check_host(h);
    alt += (alt.empty() ? "" : ",") + std::string(is_ip(h) ? "IP:" : "DNS:") + h;
  }
  auto ca_cert = read_cert(ca.cert);
  auto ca_key_text = read_secret_file(ca.key);
  auto bio = bio_of(ca_key_text);
  Key ca_key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!ca_key) throw Error(ErrorKind::unavailable, ca.key.string() + " is not a PEM private key", ca.key.string());
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1)
    throw Error(ErrorKind::unavailable, ca.key.string() + " is not the key of " + ca.cert.string(), ca.key.string());

  fs::create_directories(dir);
  auto key = new_key();
  auto cert = new_cert(key.get(), request.common_name, request.days);
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get()));
  add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature,keyEncipherment");
  add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  add_ext(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash");
  add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always");
  if (!alt.empty()) add_ext(cert.get(), ca_cert.get(), NID_subject_alt_name, alt);
  if (!X509_sign(cert.get(), ca_key.get(), EVP_sha256())) openssl_failed("cannot sign the certificate");
  CertificatePaths out{dir / (stem + ".crt"), dir / (stem + ".key")};
  write_pair(out, cert.get(), key.get());
  return out;
}

CertificateSummary describe_certificate(const fs::path& file) {
  auto cert = read_cert(file);
  CertificateSummary s;
  s.subject_cn = cn_of(X509_get_subject_name(cert.get()));
  s.issuer_cn = cn_of(X509_get_issuer_name(cert.get()));
  s.is_ca = X509_check_ca(cert.get()) > 0;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert.get(), NID_subject_alt_name, nullptr, nullptr));
  if (names) {
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
      const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
      if (n->type == GEN_DNS) {
        s.alt_names.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(n->d.dNSName)),
                                                   static_cast<size_t>(ASN1_STRING_length(n->d.dNSName))));
      } else if (n->type == GEN_IPADD) {
        char text[INET6_ADDRSTRLEN] = {};
        int len = ASN1_STRING_length(n->d.iPAddress);
        inet_ntop(len == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(n->d.iPAddress), text, sizeof text);
        s.alt_names.push_back(std::string("IP:") + text);
      }
    }
    GENERAL_NAMES_free(names);
  }
  return s;
}

}  // namespace edgeml::secrets
