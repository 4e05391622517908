// Email notifications against a real SMTP server on 127.0.0.1 (aiosmtpd, smtp_server.py): STARTTLS verified against
// a CA this test makes with openssl, AUTH with credentials from the (test's) environment, a transient 451 retried, and
// what must fail without retrying — a wrong password, a certificate that does not verify, a server that does not
// offer STARTTLS. No credential appears in any record.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "alerts/delivery_queue.hpp"
#include "alerts/smtp_notifier.hpp"
#include "child_process.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "temp_dir.hpp"

namespace edgeml::alerts {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kUser = "alice";
const std::string kPassword = "s3cret-Pa55word";

void run(const std::string& command) {
  int rc = std::system((command + " >/dev/null 2>&1").c_str());
  if (rc != 0) throw std::runtime_error("failed: " + command);
}

// A CA and a server certificate for 127.0.0.1/localhost signed by it, made fresh for each test.
struct TestPki {
  edgeml::testing::TempDir tmp{"smtp"};
  fs::path dir = tmp.path;
  TestPki() {
    std::string d = dir.string();
    std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    run("openssl req -x509" + ec + " -keyout " + d + "/ca.key -out " + d +
        "/ca.pem -days 2 -subj '/CN=edgeml test CA'");
    run("openssl req" + ec + " -keyout " + d + "/server.key -out " + d + "/server.csr -subj '/CN=localhost'");
    std::ofstream(dir / "ext.cnf") << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
        "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d + "/ext.cnf");
    fs::create_directories(dir / "out");
  }
};

class SmtpServer {
 public:
  // tls: a certificate, STARTTLS required, AUTH required. implicit_tls: TLS from the first byte instead (smtps://).
  SmtpServer(const TestPki& pki, bool tls, int fail_first = 0, bool implicit_tls = false)
      : out_(pki.dir / "out"), scheme_(implicit_tls ? "smtps" : "smtp") {
    std::vector<std::string> argv = {EDGEML_PYTHON3, std::string(EDGEML_SOURCE_DIR) + "/tests/alerts/smtp_server.py",
                                     "--out",        out_.string(),
                                     "--fail-first", std::to_string(fail_first)};
    if (implicit_tls) argv.push_back("--implicit-tls");
    if (tls) {
      for (std::string a :
           {std::string("--cert"), (pki.dir / "server.pem").string(), std::string("--key"),
            (pki.dir / "server.key").string(), std::string("--user"), kUser, std::string("--password"), kPassword})
        argv.push_back(a);
    }
    process_ = std::make_unique<testing::ChildProcess>(argv);
    std::string line = process_->wait_for_line("listening on " + scheme_ + "://", std::chrono::seconds(30));
    std::smatch m;
    if (!std::regex_search(line, m, std::regex(R"(://127\.0\.0\.1:(\d+))"))) throw std::runtime_error(line);
    port_ = std::stoi(m[1]);
  }
  ~SmtpServer() { process_->terminate(); }
  std::string url() const { return scheme_ + "://127.0.0.1:" + std::to_string(port_); }
  std::vector<json> messages() const {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(out_))
      if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<json> out;
    for (const auto& f : files) out.push_back(json::parse(read_file(f)));
    return out;
  }

 private:
  fs::path out_;
  std::string scheme_;
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = 0;
};

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, std::string> good_env(const SmtpServer& server, const TestPki& pki) {
  return {{"EDGEML_SMTP_URL", server.url()},
          {"EDGEML_SMTP_FROM", "alerts@edgeml.test"},
          {"EDGEML_SMTP_USER", kUser},
          {"EDGEML_SMTP_PASSWORD", kPassword},
          {"EDGEML_SMTP_CA_FILE", (pki.dir / "ca.pem").string()}};
}

Transition firing_transition() {
  Transition t;
  t.kind = TransitionKind::firing;
  t.rule = "hot";
  t.device = "edge-1";
  t.metric = Metric::temperature_c;
  t.severity = Severity::critical;
  t.value = 36.5;
  t.op = Op::greater;
  t.threshold = 35;
  t.at_s = t.since_s = 1'700'000'000;
  return t;
}

AlertRule email_rule() {
  return parse_rule({{"name", "hot"},
                     {"metric", "temperature_c"},
                     {"op", ">"},
                     {"threshold", 35},
                     {"notify", {{{"email", {"ops@example.org", "lead@example.org"}}}}}});
}

struct Queue {
  ManualClock clock{1'700'000'100};
  SmtpNotifier smtp;
  NotifierSet notifiers{nullptr, &smtp};
  DeliveryQueue queue{notifiers, clock, RetryPolicy{.max_attempts = 3, .first_backoff_s = 30}};
  explicit Queue(const SmtpSettings& s) : smtp(s, clock) {}
  Delivery deliver_once(const Transition& t) {
    queue.enqueue(email_rule(), t);
    auto done = queue.run_due();
    if (done.size() != 1) throw std::runtime_error("expected one delivery");
    return done[0];
  }
};

TEST(SmtpDelivery, SendsOverStartTlsWithLoginAndTheFieldsInTheMessage) {
  TestPki pki;
  SmtpServer server(pki, true);
  auto settings = smtp_settings_from_env(env_of(good_env(server, pki)));
  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->require_tls);
  Queue q(*settings);
  Delivery d = q.deliver_once(firing_transition());
  ASSERT_EQ(d.status, Delivery::Status::delivered) << (d.attempts.empty() ? "" : d.attempts.back().error);
  Transition resolved = firing_transition();
  resolved.kind = TransitionKind::resolved;
  resolved.value = 30;
  resolved.at_s += 120;
  EXPECT_EQ(q.deliver_once(resolved).status, Delivery::Status::delivered);

  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 2u);
  const json& m = messages[0];
  EXPECT_TRUE(m["tls"]);  // STARTTLS happened before MAIL FROM (the server requires it)
  EXPECT_TRUE(m["authenticated"]);
  EXPECT_EQ(m["login"], kUser);
  EXPECT_EQ(m["mail_from"], "alerts@edgeml.test");
  EXPECT_EQ(m["rcpt_tos"], (json{"ops@example.org", "lead@example.org"}));
  std::string data = m["data"];
  for (const char* expected :
       {"Subject: [FIRING] hot on edge-1\r\n", "From: alerts@edgeml.test\r\n",
        "To: ops@example.org, lead@example.org\r\n", "Date: Tue, 14 Nov 2023 22:15:00 +0000\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n", "Status: firing\r\n", "Rule: hot\r\n", "Device: edge-1\r\n",
        "Value: 36.5 \xC2\xB0"
        "C\r\n",
        "Time: 2023-11-14T22:13:20Z\r\n", "Condition: temperature_c > 35\r\n"})
    EXPECT_NE(data.find(expected), std::string::npos) << expected << " not in:\n" << data;
  std::string second = messages[1]["data"];
  EXPECT_NE(second.find("Subject: [RESOLVED] hot on edge-1\r\n"), std::string::npos) << second;
  EXPECT_NE(second.find("Time: 2023-11-14T22:15:20Z\r\n"), std::string::npos) << second;
}

TEST(SmtpDelivery, SmtpsSpeaksTlsFromTheFirstByte) {
  TestPki pki;
  SmtpServer server(pki, true, 0, /*implicit_tls=*/true);
  Queue q(*smtp_settings_from_env(env_of(good_env(server, pki))));
  Delivery d = q.deliver_once(firing_transition());
  ASSERT_EQ(d.status, Delivery::Status::delivered) << (d.attempts.empty() ? "" : d.attempts.back().error);
  auto messages = server.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["login"], kUser);
  EXPECT_TRUE(messages[0]["authenticated"]);
}

TEST(SmtpDelivery, ATransient451IsRetriedAfterTheBackoff) {
  TestPki pki;
  SmtpServer server(pki, true, 1);
  Queue q(*smtp_settings_from_env(env_of(good_env(server, pki))));
  Delivery first = q.deliver_once(firing_transition());
  ASSERT_EQ(first.status, Delivery::Status::pending);
  EXPECT_TRUE(first.attempts[0].retryable);
  EXPECT_NE(first.attempts[0].error.find("451"), std::string::npos) << first.attempts[0].error;
  EXPECT_EQ(first.next_attempt_s, q.clock.now_s() + 30);
  q.clock.advance(30);
  auto second = q.queue.run_due();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].status, Delivery::Status::delivered);
  EXPECT_EQ(server.messages().size(), 1u);
}

TEST(SmtpDelivery, AWrongPasswordFailsAtOnceAndIsNeverShown) {
  TestPki pki;
  SmtpServer server(pki, true);
  auto env = good_env(server, pki);
  env["EDGEML_SMTP_PASSWORD"] = "wrong-Secret-123";
  Queue q(*smtp_settings_from_env(env_of(env)));
  Delivery d = q.deliver_once(firing_transition());
  EXPECT_EQ(d.status, Delivery::Status::failed);
  ASSERT_EQ(d.attempts.size(), 1u);
  EXPECT_FALSE(d.attempts[0].retryable);
  EXPECT_NE(d.attempts[0].error.find("535"), std::string::npos) << d.attempts[0].error;
  std::string records = q.queue.persisted().dump() + to_json(d).dump();
  EXPECT_EQ(records.find("wrong-Secret-123"), std::string::npos);
  EXPECT_EQ(records.find(kPassword), std::string::npos);
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpDelivery, ACertificateThatDoesNotVerifyIsRefused) {
  TestPki pki;
  SmtpServer server(pki, true);
  auto env = good_env(server, pki);
  env.erase("EDGEML_SMTP_CA_FILE");  // the system's CAs do not know the test CA
  Queue q(*smtp_settings_from_env(env_of(env)));
  Delivery d = q.deliver_once(firing_transition());
  EXPECT_EQ(d.status, Delivery::Status::failed);
  EXPECT_FALSE(d.attempts[0].retryable);
  EXPECT_NE(d.attempts[0].error.find("certificate"), std::string::npos) << d.attempts[0].error;
  EXPECT_TRUE(server.messages().empty());
}

TEST(SmtpDelivery, AServerWithoutStartTlsGetsNothingWhenTlsIsRequired) {
  TestPki pki;
  SmtpServer plain(pki, false);
  auto env = good_env(plain, pki);
  env.erase("EDGEML_SMTP_USER");
  env.erase("EDGEML_SMTP_PASSWORD");
  Queue q(*smtp_settings_from_env(env_of(env)));
  Delivery d = q.deliver_once(firing_transition());
  EXPECT_EQ(d.status, Delivery::Status::failed);
  EXPECT_FALSE(d.attempts[0].retryable);
  EXPECT_TRUE(plain.messages().empty());
  // A relay on this machine may be used without TLS when the operator says so (and without credentials).
  env["EDGEML_SMTP_STARTTLS"] = "off";
  Queue relay(*smtp_settings_from_env(env_of(env)));
  EXPECT_EQ(relay.deliver_once(firing_transition()).status, Delivery::Status::delivered);
  ASSERT_EQ(plain.messages().size(), 1u);
  EXPECT_FALSE(plain.messages()[0]["tls"]);
}

TEST(SmtpSettings, ComeFromTheEnvironmentAndUnsafeOnesAreRefused) {
  EXPECT_FALSE(smtp_settings_from_env(env_of({})));
  auto field = [](std::map<std::string, std::string> env) -> std::string {
    try {
      smtp_settings_from_env(env_of(env));
    } catch (const FieldError& e) {
      return e.field();
    }
    return "";
  };
  std::map<std::string, std::string> base = {{"EDGEML_SMTP_URL", "smtp://mail.example.org:587"},
                                             {"EDGEML_SMTP_FROM", "alerts@example.org"}};
  EXPECT_EQ(field(base), "");
  auto with = [&](std::string k, std::string v) {
    auto e = base;
    e[k] = v;
    return e;
  };
  EXPECT_EQ(field(with("EDGEML_SMTP_URL", "http://mail.example.org")), "EDGEML_SMTP_URL");
  EXPECT_EQ(field(with("EDGEML_SMTP_URL", "smtp://bob:pw@mail.example.org")), "EDGEML_SMTP_URL");
  EXPECT_EQ(field(with("EDGEML_SMTP_FROM", "Alerts <a@example.org>")), "EDGEML_SMTP_FROM");
  EXPECT_EQ(field(with("EDGEML_SMTP_STARTTLS", "maybe")), "EDGEML_SMTP_STARTTLS");
  EXPECT_EQ(field(with("EDGEML_SMTP_STARTTLS", "off")), "EDGEML_SMTP_STARTTLS");  // not a local relay
  EXPECT_EQ(field(with("EDGEML_SMTP_PASSWORD", "pw")), "EDGEML_SMTP_USER");
  auto local = with("EDGEML_SMTP_URL", "smtp://127.0.0.1:25");
  local["EDGEML_SMTP_STARTTLS"] = "off";
  EXPECT_EQ(field(local), "");
  local["EDGEML_SMTP_USER"] = "bob";
  local["EDGEML_SMTP_PASSWORD"] = "pw";
  EXPECT_EQ(field(local), "EDGEML_SMTP_STARTTLS");  // credentials never in clear text, even locally
  // A password file, as systemd credentials and Docker secrets provide it.
  fs::path file = fs::temp_directory_path() / "edgeml-smtp-password-test";
  std::ofstream(file) << "from-a-file\n";
  auto env = with("EDGEML_SMTP_USER", "bob");
  env["EDGEML_SMTP_PASSWORD_FILE"] = file.string();
  EXPECT_EQ(smtp_settings_from_env(env_of(env))->password, "from-a-file");
  fs::remove(file);
  EXPECT_EQ(field(env), "EDGEML_SMTP_PASSWORD_FILE");
}

TEST(SmtpMessage, NonAsciiHeadersAreEncodedAndLineBreaksCannotInjectHeaders) {
  ManualClock clock;
  SmtpSettings s;
  s.url = "smtp://127.0.0.1:25";
  s.from = "alerts@example.org";
  SmtpNotifier n(s, clock);
  Transition t = firing_transition();
  t.rule = "heiß";
  t.device = "edge-1";
  NotifyTarget target;
  target.kind = NotifyTarget::Kind::email;
  target.to = {"ops@example.org"};
  std::string m = n.message(target, t);
  // "[FIRING] heiß on edge-1" in base64.
  EXPECT_NE(m.find("Subject: =?UTF-8?B?W0ZJUklOR10gaGVpw58gb24gZWRnZS0x?=\r\n"), std::string::npos) << m;
  t.rule = "a\r\nBcc: evil@example.org";  // parse_rule refuses this; the message builder does not trust it either
  std::string injected = n.message(target, t);
  std::string headers = injected.substr(0, injected.find("\r\n\r\n"));
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << headers;
  EXPECT_NE(headers.find("Subject: [FIRING] a  Bcc: evil@example.org on edge-1\r\n"), std::string::npos) << headers;
}

}  // namespace
}  // namespace edgeml::alerts
