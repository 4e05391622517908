// edgeml_fetch against local cpp-httplib servers on 127.0.0.1: whole downloads, a server that drops the connection
// half-way (the next attempt resumes with Range), a server that serves wrong bytes (checksum), 404, 5xx retries,
// a stalled server (timeout), and the model sources' fallthrough.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/wait.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "child_process.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"
#include "fetch/downloader.hpp"
#include "fetch/model_sources.hpp"

namespace fs = std::filesystem;
using namespace edgeml;
using namespace edgeml::fetch;

namespace {

std::string payload(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) % 251);
  return s;
}

class FileServer {
 public:
  FileServer() {
    data = payload(3 << 20);
    server.Get("/good", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(data, "application/octet-stream");
    });
    // First request: half the bytes, then the connection drops. Later requests: served normally (Range honoured).
    server.Get("/cut", [this](const httplib::Request& req, httplib::Response& res) {
      int n = cut_requests++;
      if (req.has_header("Range")) last_range = req.get_header_value("Range");
      bool cut = n == 0;
      res.set_content_provider(data.size(), "application/octet-stream",
                               [this, cut](size_t offset, size_t length, httplib::DataSink& sink) {
                                 if (cut) {
                                   sink.write(data.data() + offset, data.size() / 2);
                                   return false;  // drop the connection half-way
                                 }
                                 sink.write(data.data() + offset, length);
                                 return true;
                               });
    });
    server.Get("/wrong", [this](const httplib::Request&, httplib::Response& res) {
      std::string bad = data;
      bad[12345] ^= 1;
      res.set_content(bad, "application/octet-stream");
    });
    server.Get("/flaky", [this](const httplib::Request&, httplib::Response& res) {
      if (flaky_requests++ < 2) {
        res.status = 503;
        res.set_content("busy", "text/plain");
        return;
      }
      res.set_content(data, "application/octet-stream");
    });
    server.Get("/stall", [](const httplib::Request&, httplib::Response& res) {
      res.set_content_provider(1000, "application/octet-stream", [](size_t, size_t, httplib::DataSink& sink) {
        sink.write("x", 1);
        std::this_thread::sleep_for(std::chrono::seconds(4));
        return false;
      });
    });
    server.Get(R"(/hub/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (req.matches[1] == "known.onnx")
        res.set_content(data, "application/octet-stream");
      else
        res.status = 404;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~FileServer() {
    server.stop();
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }

  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::string data;
  std::atomic<int> cut_requests{0}, flaky_requests{0};
  std::string last_range;
};

struct TmpDir {
  TmpDir() : path(fs::temp_directory_path() / ("edgeml-fetch-" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TmpDir() { fs::remove_all(path); }
  fs::path path;
};

DownloadOptions quick() {
  DownloadOptions o;
  o.backoff_s = 0.05;
  o.stall_timeout_s = 2;
  return o;
}

}  // namespace

TEST(Fetch, DownloadsAndVerifies) {
  FileServer s;
  TmpDir t;
  auto o = quick();
  o.sha256 = sha256_hex(s.data);
  std::uint64_t last_progress = 0;
  o.on_progress = [&](std::uint64_t got, std::optional<std::uint64_t>) { last_progress = got; };
  auto r = download_file(s.url("/good"), t.path / "m.onnx", o);
  EXPECT_EQ(r.bytes, s.data.size());
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(read_file(t.path / "m.onnx"), s.data);
  EXPECT_EQ(last_progress, s.data.size());
  EXPECT_FALSE(fs::exists(t.path / "m.onnx.part"));
}

TEST(Fetch, ResumesACutTransferWithRange) {
  FileServer s;
  TmpDir t;
  auto o = quick();
  o.sha256 = sha256_hex(s.data);
  auto r = download_file(s.url("/cut"), t.path / "m.bin", o);
  EXPECT_EQ(r.attempts, 2);
  EXPECT_GT(r.resumed_from, 0u);
  EXPECT_LT(r.resumed_from, s.data.size());
  EXPECT_EQ(s.last_range, "bytes=" + std::to_string(r.resumed_from) + "-");
  EXPECT_EQ(read_file(t.path / "m.bin"), s.data);
}

TEST(Fetch, WrongBytesFailTheChecksumAndLeaveNothing) {
  FileServer s;
  TmpDir t;
  auto o = quick();
  o.sha256 = sha256_hex(s.data);
  try {
    download_file(s.url("/wrong"), t.path / "m.bin", o);
    FAIL() << "a corrupted file was accepted";
  } catch (const DownloadError& e) {
    EXPECT_EQ(e.kind(), DownloadError::Kind::checksum);
    EXPECT_NE(std::string(e.what()).find("sha256 mismatch"), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(t.path / "m.bin"));
  EXPECT_FALSE(fs::exists(t.path / "m.bin.part"));
}

TEST(Fetch, RetriesServerErrorsButNotMissingFiles) {
  FileServer s;
  TmpDir t;
  auto r = download_file(s.url("/flaky"), t.path / "f.bin", quick());
  EXPECT_EQ(r.attempts, 3);
  EXPECT_EQ(s.flaky_requests.load(), 3);
  try {
    download_file(s.url("/nothing-here"), t.path / "n.bin", quick());
    FAIL();
  } catch (const DownloadError& e) {
    EXPECT_EQ(e.kind(), DownloadError::Kind::not_found);
  }
}

TEST(Fetch, StalledServerTimesOut) {
  FileServer s;
  TmpDir t;
  auto o = quick();
  o.attempts = 1;
  o.stall_timeout_s = 1;
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THROW(download_file(s.url("/stall"), t.path / "s.bin", o), DownloadError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4)) << "the stall timeout did not fire";
}

TEST(Fetch, SourcesAreTriedInOrder) {
  FileServer s;
  TmpDir t;
  std::vector<ModelSource> sources = {parse_model_source("empty=" + s.url("/nothing/{name}.onnx")),
                                      parse_model_source("hub=" + s.url("/hub/{name}.onnx"))};
  auto got = fetch_from_sources(sources, "known", t.path / "k", quick());
  ASSERT_TRUE(got);
  EXPECT_EQ(got->source, "hub");
  EXPECT_EQ(read_file(t.path / "k"), s.data);
  EXPECT_FALSE(fetch_from_sources(sources, "unknown", t.path / "u", quick()));
  EXPECT_THROW(parse_model_source("x=ftp://h/{name}"), std::exception);
  EXPECT_THROW(parse_model_source("x=http://h/fixed.onnx"), std::exception);
  EXPECT_EQ(ModelSource({"a", "http://h/{name}.onnx"}).url_for("a b/c"), "http://h/a%20b%2Fc.onnx");
}

namespace {
// Runs the real `edgeml` executable; returns its exit status and stdout+stderr.
int run_cli(const std::string& args, std::string* output) {
  std::string cmd = edgeml::testing::bin("edgeml") + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) output->append(buf, n);
  int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
}  // namespace

TEST(FetchCli, DownloadsVerifiesAndFallsBackToTheZoo) {
  FileServer s;
  TmpDir t;
  std::string out;
  EXPECT_EQ(
      run_cli("fetch blob --url " + s.url("/good") + " --sha256 " + sha256_hex(s.data) + " --out " + t.path.string(),
              &out),
      0)
      << out;
  EXPECT_EQ(read_file(t.path / "blob.bin"), s.data) << "unknown content gets .bin";
  EXPECT_NE(out.find("MB"), std::string::npos) << "progress on stderr: " << out;

  out.clear();
  EXPECT_EQ(
      run_cli("fetch bad --url " + s.url("/wrong") + " --sha256 " + sha256_hex(s.data) + " --out " + t.path.string(),
              &out),
      1);
  EXPECT_NE(out.find("sha256 mismatch"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(t.path / "bad.bin"));

  out.clear();
  EXPECT_EQ(run_cli("fetch mobilenetv2_050 --out " + t.path.string(), &out), 0) << out;
  EXPECT_NE(out.find("generated, placeholder weights"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(t.path / "mobilenetv2_050.onnx"));

  out.clear();
  EXPECT_EQ(run_cli("fetch not_a_zoo_model --url " + s.url("/missing") + " --out " + t.path.string(), &out), 1);
  EXPECT_NE(out.find("zoo does not know it"), std::string::npos) << out;
}
