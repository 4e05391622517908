// The store, the state file and the option checks, in-process.
#include <gtest/gtest.h>

#include <fstream>

#include "agent/agent_options.hpp"
#include "agent/agent_state.hpp"
#include "agent/latency_stats.hpp"
#include "agent/model_store.hpp"
#include "agent/request_guard.hpp"
#include "agent_test_support.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

using namespace edgeml;
using namespace edgeml::agent;
using edgeml::agent_test::TempDir;
namespace fs = std::filesystem;

namespace {
ModelRef store_bytes(const ModelStore& s, const std::string& name, const std::string& bytes) {
  Expected e{name, sha256_hex(bytes), bytes.size()};
  auto f = s.begin(e);
  f->write(bytes.data(), bytes.size());
  return s.commit(std::move(f), e);
}
}  // namespace

TEST(ModelStore, CommitsOnlyVerifiedFiles) {
  TempDir d;
  ModelStore s(d.path, StoreLimits{3, 0, 1 << 20});
  auto bytes = agent_test::tiny_onnx(1.0f);
  auto ref = store_bytes(s, "net", bytes);
  EXPECT_EQ(ref.format, "onnx");
  EXPECT_EQ(read_file(s.path_of(ref)), bytes);

  Expected wrong{"net", std::string(64, 'a'), 3};
  auto f = s.begin(wrong);
  f->write("abc", 3);
  auto tmp = f->temp_path();
  EXPECT_TRUE(fs::exists(tmp));
  try {
    s.commit(std::move(f), wrong);
    FAIL() << "a wrong sha256 was accepted";
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "sha256");
  }
  EXPECT_FALSE(fs::exists(tmp));  // dropped with the IncomingFile
  Expected short_size{"net", sha256_hex("abc"), 4};
  auto g = s.begin(short_size);
  g->write("abc", 3);
  EXPECT_THROW(s.commit(std::move(g), short_size), FieldError);
  EXPECT_EQ(s.list().size(), 1u);
}

TEST(ModelStore, SizeLimitsAndSpace) {
  TempDir d;
  ModelStore s(d.path, StoreLimits{3, 0, 10});
  Expected e{"n", sha256_hex("x"), 11};
  try {
    s.begin(e);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), ErrorKind::too_large);  // HTTP 413
  }
  ModelStore huge_reserve(d.path, StoreLimits{3, 1ull << 60, 1 << 20});
  try {
    huge_reserve.check_space(1);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.kind(), ErrorKind::insufficient_storage);  // HTTP 507
    EXPECT_EQ(err.field(), "size");
  }
}

TEST(ModelStore, RemovesLeftoversAndPrunes) {
  TempDir d;
  ModelStore s(d.path, StoreLimits{2, 0, 1 << 20});
  fs::create_directories(d.path / "models/n");
  std::ofstream(d.path / "models/n/.incoming-123-0-1.part") << "half";
  std::ofstream(d.path / "agent_state.json.tmp-99") << "{";
  EXPECT_EQ(s.remove_leftovers(), 2u);
  std::vector<ModelRef> refs;
  for (int i = 0; i < 4; ++i) {
    refs.push_back(store_bytes(s, "n", "version " + std::to_string(i)));
    fs::last_write_time(s.path_of(refs.back()), fs::file_time_type::clock::now() + std::chrono::seconds(i));
  }
  auto removed = s.prune("n", {refs[0].sha256});  // the oldest is protected (e.g. the previous model)
  std::set<std::string> left;
  for (auto& r : s.list()) left.insert(r.sha256);
  EXPECT_EQ(left, (std::set<std::string>{refs[0].sha256, refs[2].sha256, refs[3].sha256}));  // 2 newest + protected
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].sha256, refs[1].sha256);
}

TEST(AgentStateFile, RoundTripsAndRejectsDamage) {
  TempDir d;
  AgentState s;
  s.active = ModelRef{"a", std::string(64, 'b'), "onnx", 10, 1.5, ""};
  s.active_since_s = 42;
  s.record({1, "activated", "a", std::string(64, 'b'), ""});
  save_agent_state(d.path / "state.json", s);
  auto back = load_agent_state(d.path / "state.json");
  ASSERT_TRUE(back.active);
  EXPECT_EQ(back.active->sha256, std::string(64, 'b'));
  EXPECT_EQ(back.active_since_s, 42);
  EXPECT_FALSE(back.previous);
  EXPECT_EQ(back.history.size(), 1u);
  EXPECT_FALSE(load_agent_state(d.path / "missing.json").active);
  std::ofstream(d.path / "bad.json") << "{\"active\": {\"name\": \"../x\"";
  EXPECT_THROW(load_agent_state(d.path / "bad.json"), std::runtime_error);
}

TEST(ModelNames, FollowTheAllowedPattern) {
  EXPECT_NO_THROW(validate_model_name("mobilenetv3_small-100.v2"));
  for (const std::string& bad : std::vector<std::string>{"", ".", "..", "a/b", "a b", "é", std::string(129, 'x')})
    EXPECT_THROW(validate_model_name(bad), FieldError) << bad;
  EXPECT_EQ(normalize_sha256(std::string(64, 'A')), std::string(64, 'a'));
}

TEST(AgentOptionsTest, ParsesAndRefusesUnsafeExposure) {
  auto o = parse_agent_options({"--port", "9001", "--infer-hz=2.5", "--state", "/tmp/s"}, "tok", nullptr);
  EXPECT_EQ(o.port, 9001);
  EXPECT_EQ(o.infer_hz, 2.5);
  EXPECT_EQ(o.token, "tok");
  EXPECT_NO_THROW(check_exposure(o));
  try {
    parse_agent_options({"--port", "70000"}, nullptr, nullptr);
    FAIL();
  } catch (const FieldError& e) {
    EXPECT_EQ(e.field(), "--port");
  }
  EXPECT_THROW(parse_agent_options({"--bogus"}, nullptr, nullptr), FieldError);
  EXPECT_THROW(parse_agent_options({"--infer-hz", "fast"}, nullptr, nullptr), FieldError);
  auto open = parse_agent_options({}, nullptr, nullptr);  // 0.0.0.0, no token
  EXPECT_THROW(check_exposure(open), FieldError);
  auto local = parse_agent_options({"--host", "127.0.0.1"}, nullptr, nullptr);
  EXPECT_NO_THROW(check_exposure(local));
}

TEST(RequestGuard, BearerComparison) {
  EXPECT_TRUE(bearer_matches("Bearer abc", "abc"));
  EXPECT_FALSE(bearer_matches("Bearer abd", "abc"));
  EXPECT_FALSE(bearer_matches("Bearer abcd", "abc"));
  EXPECT_FALSE(bearer_matches("", "abc"));
}

TEST(LatencyStatsTest, PercentilesOverTheWindow) {
  EXPECT_FALSE(percentile({}, 50));
  EXPECT_EQ(*percentile({3, 1, 2, 4}, 50), 2);
  EXPECT_EQ(*percentile({3, 1, 2, 4}, 99), 4);
  LatencyStats s(3);
  s.reset(100);
  for (int i = 1; i <= 5; ++i) s.record(i * 0.001, 100 + i);
  auto j = s.to_json(106);
  EXPECT_EQ(j["count"], 5);
  EXPECT_EQ(j["window"], 3);
  EXPECT_DOUBLE_EQ(j["latency_p50_s"].get<double>(), 0.004);
  EXPECT_DOUBLE_EQ(j["throughput_per_s"].get<double>(), 1.0);  // 4 intervals over 4 s
}
