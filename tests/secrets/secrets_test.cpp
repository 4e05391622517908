// The secrets library on real files in a temporary folder: what is stored is never the secret, files holding secrets
// are owner-only, a sealed token opens only with its key, signed links expire, and the fleet CA signs certificates
// that OpenSSL verifies.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <set>

#include "common/error.hpp"
#include "common/files.hpp"
#include "secrets/certificates.hpp"
#include "secrets/encoding.hpp"
#include "secrets/master_key.hpp"
#include "secrets/passwords.hpp"
#include "secrets/sealer.hpp"
#include "secrets/secret_files.hpp"
#include "secrets/tokens.hpp"
#include "secrets/url_signer.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::secrets;
using edgeml::testing::TempDir;

namespace {
unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no edgeml::Error thrown";
  return ErrorKind::internal;
}
}  // namespace

TEST(Tokens, AreRandomPrefixedAndStoredOnlyAsHashes) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto t = random_token("emt");
    ASSERT_EQ(t.rfind("emt_", 0), 0u) << t;
    EXPECT_EQ(t.size(), 4u + 43u) << "32 random bytes in base64url";
    EXPECT_NO_THROW(validate_token_text(t, "token"));
    EXPECT_TRUE(seen.insert(t).second) << "a token repeated";
  }
  auto t = random_token("emd");
  auto h = token_hash(t);
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find(t), std::string::npos);
  EXPECT_EQ(token_hash(t), h) << "the same token always finds its row";
  EXPECT_NE(token_hash(t + "x"), h);
  EXPECT_TRUE(equal_constant_time(t, t));
  EXPECT_FALSE(equal_constant_time(t, t.substr(1)));
  EXPECT_FALSE(equal_constant_time(t, std::string(t.size(), 'a')));
}

TEST(Tokens, TextWithControlCharactersOrSpacesIsRefused) {
  for (std::string bad : {std::string("short"), std::string(600, 'a'), std::string("abcdefghijklmnop\r\nX: y"),
                          std::string("abcdefgh ijklmnopq"), std::string("abcdefghijklmnop\x7f")}) {
    try {
      validate_token_text(bad, "token");
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), "token");
    }
  }
}

TEST(Passwords, Argon2idHashVerifiesOnlyTheRightPassword) {
  auto h = hash_password("correct horse battery");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_EQ(h.find("correct"), std::string::npos);
  EXPECT_TRUE(verify_password(h, "correct horse battery"));
  EXPECT_FALSE(verify_password(h, "correct horse batterY"));
  EXPECT_FALSE(verify_password("", "correct horse battery"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "correct horse battery"));
  EXPECT_NE(hash_password("correct horse battery"), h) << "a fresh salt each time";
  EXPECT_THROW(validate_password("short"), FieldError);
  EXPECT_THROW(validate_password("long enough\nbut a newline"), FieldError);
  EXPECT_NO_THROW(validate_password("long enough password"));
}

TEST(SecretFiles, AreOwnerOnlyAndRefusedWhenOpenedUp) {
  TempDir dir("secrets");
  auto file = dir / "creds.json";
  write_secret_file(file, "{\"a\":1}");
  EXPECT_EQ(mode_of(file), 0600u);
  EXPECT_EQ(read_secret_file(file), "{\"a\":1}");
  EXPECT_FALSE(create_secret_file(file, "other")) << "create never replaces";
  EXPECT_EQ(read_secret_file(file), "{\"a\":1}");
  ::chmod(file.c_str(), 0644);
  try {
    read_secret_file(file);
    FAIL() << "a world-readable secret file was used";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
    EXPECT_NE(std::string(e.what()).find("chmod 600 " + file.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(kind_of([&] { read_secret_file(dir / "missing"); }), ErrorKind::not_found);
  for (auto& entry : std::filesystem::directory_iterator(dir.path))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << "temporary file left behind";
}

TEST(MasterKey, IsCreatedOnceOwnerOnlyAndReadBack) {
  TempDir dir("secrets");
  auto file = dir / "secret.key";
  auto a = MasterKey::load_or_create(file);
  EXPECT_EQ(mode_of(file), 0600u);
  auto text = read_file(file);
  EXPECT_EQ(text.size(), 65u) << "64 hex digits and a newline";
  auto b = MasterKey::load_or_create(file);
  EXPECT_EQ(a.derive(KeyPurpose::seal_device_tokens), b.derive(KeyPurpose::seal_device_tokens));
  EXPECT_NE(a.derive(KeyPurpose::seal_device_tokens), a.derive(KeyPurpose::sign_model_urls))
      << "each purpose gets its own sub-key";
  write_file_atomic(dir / "bad.key", "not hex\n");
  ::chmod((dir / "bad.key").c_str(), 0600);
  EXPECT_EQ(kind_of([&] { MasterKey::load_or_create(dir / "bad.key"); }), ErrorKind::unavailable);
}

TEST(Sealer, OpensOnlyWithItsKeyAndDetectsChanges) {
  auto key = MasterKey::from_bytes(std::string(32, 'k'));
  auto other = MasterKey::from_bytes(std::string(32, 'o'));
  Sealer s(key);
  auto sealed = s.seal("ema_the-agent-token");
  EXPECT_TRUE(Sealer::is_sealed(sealed));
  EXPECT_EQ(sealed.find("ema_the-agent-token"), std::string::npos);
  EXPECT_NE(s.seal("ema_the-agent-token"), sealed) << "a fresh nonce each time";
  EXPECT_EQ(s.unseal(sealed), "ema_the-agent-token");
  EXPECT_EQ(s.unseal(s.seal("")), "");
  EXPECT_EQ(kind_of([&] { Sealer(other).unseal(sealed); }), ErrorKind::unavailable);
  std::string changed = sealed;
  changed[changed.size() - 3] = changed[changed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(kind_of([&] { s.unseal(changed); }), ErrorKind::unavailable);
  EXPECT_EQ(kind_of([&] { s.unseal("plain-token"); }), ErrorKind::unavailable);
  EXPECT_EQ(kind_of([&] { s.unseal("sealed1:@@@"); }), ErrorKind::unavailable);
}

TEST(UrlSigner, LinksExpireAndCoverTheirPath) {
  auto key = MasterKey::from_bytes(std::string(32, 'k'));
  UrlSigner signer(key);
  auto q = signer.query("/models/resnet18.onnx", 2000);
  auto expires = q.substr(8, q.find('&') - 8);
  auto sig = q.substr(q.find("signature=") + 10);
  EXPECT_EQ(expires, "2000");
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(signer.verify("/models/resnet18.onnx", expires, sig, 1999.0));
  EXPECT_TRUE(signer.verify("/models/resnet18.onnx", expires, sig, 2000.0));
  EXPECT_FALSE(signer.verify("/models/resnet18.onnx", expires, sig, 2000.5)) << "expired";
  EXPECT_FALSE(signer.verify("/models/other.onnx", expires, sig, 1000)) << "another file";
  EXPECT_FALSE(signer.verify("/models/resnet18.onnx", "2001", sig, 1000)) << "a longer life";
  EXPECT_FALSE(signer.verify("/models/resnet18.onnx", "abc", sig, 1000));
  EXPECT_FALSE(UrlSigner(MasterKey::from_bytes(std::string(32, 'o'))).verify("/models/resnet18.onnx", expires, sig, 1))
      << "another controller's key";
}

TEST(Certificates, TheFleetCaSignsCertificatesOpenSslVerifies) {
  TempDir dir("certs");
  auto ca = create_ca(dir.path, "edgeml test CA", 30);
  EXPECT_EQ(mode_of(ca.key), 0600u);
  EXPECT_EQ(mode_of(ca.cert), 0644u);
  EXPECT_EQ(kind_of([&] { create_ca(dir.path, "again", 30); }), ErrorKind::conflict) << "a CA is never replaced";
  auto leaf = issue_certificate(ca, dir / "out", "controller", {"controller", {"localhost", "127.0.0.1", "::1"}, 30});
  EXPECT_EQ(mode_of(leaf.key), 0600u);
  auto s = describe_certificate(leaf.cert);
  EXPECT_EQ(s.subject_cn, "controller");
  EXPECT_EQ(s.issuer_cn, "edgeml test CA");
  EXPECT_FALSE(s.is_ca);
  EXPECT_EQ(s.alt_names, (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:::1"}));
  EXPECT_TRUE(describe_certificate(ca.cert).is_ca);

  // OpenSSL's own chain check: the leaf verifies against the CA for TLS server use.
  auto load = [](const std::filesystem::path& p) {
    FILE* f = std::fopen(p.c_str(), "r");
    X509* x = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    return x;
  };
  X509* ca_x = load(ca.cert);
  X509* leaf_x = load(leaf.cert);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca_x);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf_x, nullptr);
  X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
  EXPECT_EQ(X509_verify_cert(ctx), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(ca_x);
  X509_free(leaf_x);

  EXPECT_THROW(issue_certificate(ca, dir / "out", "bad", {"bad", {"host name with spaces"}, 30}), FieldError);
  EXPECT_THROW(issue_certificate(ca, dir / "out", "../escape", {"x", {"localhost"}, 30}), FieldError);
}

TEST(Encoding, RoundTripsAndRefusesGarbage) {
  std::string bytes("\x00\x01\xfe\xff", 4);
  EXPECT_EQ(from_base64url(to_base64url(bytes)), bytes);
  EXPECT_EQ(from_hex(to_hex(bytes)), bytes);
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
  EXPECT_FALSE(from_base64url("a+b/"));
}
