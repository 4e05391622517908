// The controller's store on both backends: the same tests run on SQLite (a file in a temporary folder) and on a real
// PostgreSQL server started for the test (tests/support/postgres_server).
#include "store/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include "common/error.hpp"
#include "postgres_server.hpp"
#include "store/device_removal.hpp"
#include "store/sqlite_db.hpp"
#include "temp_dir.hpp"

using namespace edgeml;
using namespace edgeml::store;
using edgeml::testing::PostgresServer;
using edgeml::testing::TempDir;

namespace {

Device device(const std::string& name) {
  Device d;
  d.name = name;
  d.address = "127.0.0.1:9";
  d.device_type = "jetson_nano";
  d.token = "secret";
  d.created_at = 1000;
  return d;
}

// The version a database is at once every migration step ran.
int latest_version() {
  int v = 1;
  for (const auto& m : controller_schema().migrations) v = std::max(v, m.version);
  return v;
}

// A database location per test: a SQLite file, or a new database on the shared PostgreSQL server.
class StoreOn : public ::testing::TestWithParam<std::string> {
 protected:
  std::string location() {
    static std::atomic<int> n{0};
    if (GetParam() == "sqlite") return (tmp_.path / ("c" + std::to_string(n++) + ".db")).string();
    return PostgresServer::shared().create_database("t" + std::to_string(::getpid()) + "_" + std::to_string(n++));
  }
  TempDir tmp_{"store"};
};

}  // namespace

TEST_P(StoreOn, KeepsDevicesAndRefusesADuplicateName) {
  std::string where = location();
  long long id = 0;
  {
    Store s(where);
    auto a = s.devices().add(device("nano-1"));
    id = a.id;
    EXPECT_GT(a.id, 0);
    try {
      s.devices().add(device("nano-1"));
      FAIL() << "duplicate name accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::conflict);
      EXPECT_EQ(e.field(), "name");
    }
    s.devices().mark_seen(a.id, 1234.5);
  }
  Store s(where);  // reopened: persisted
  auto list = s.devices().all();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].online);
  EXPECT_DOUBLE_EQ(*list[0].last_seen, 1234.5);
  EXPECT_EQ(list[0].token, "secret");
  s.devices().mark_unreachable(id, "connection refused");
  EXPECT_FALSE(s.devices().by_id(id)->online);
  EXPECT_EQ(s.devices().by_id(id)->last_error, "connection refused");
  EXPECT_EQ(s.devices().by_name("nano-1")->id, id);
  EXPECT_EQ(s.devices().by_address("127.0.0.1:9")->id, id);
  EXPECT_FALSE(s.devices().by_id(id + 100));
}

TEST_P(StoreOn, RunningDeploymentsBecomeInterruptedOnRestart) {
  std::string where = location();
  long long running_id = 0, done_id = 0;
  {
    Store s(where);
    auto d = s.devices().add(device("nano-1"));
    DeploymentRecord r;
    r.device_id = d.id;
    r.device_name = d.name;
    r.model_name = "m";
    r.started_at = 10;
    r.energy_mwh = 12.5;
    r.rollout_id = s.deployments().next_rollout_id();
    running_id = s.deployments().begin(r);
    s.deployments().add_step(running_id, {"energy_gate", "passed", "within budget", 10, 0.01});
    s.deployments().add_step(running_id, {"artifact", "passed", "", 10.01, 0.2});
    r.status = "succeeded";
    r.finished_at = 12;
    done_id = s.deployments().begin(r);
  }
  Store s(where);
  EXPECT_EQ(s.deployments().mark_interrupted(99), 1);
  auto running = *s.deployments().get(running_id);
  EXPECT_EQ(running.status, "interrupted");
  EXPECT_DOUBLE_EQ(*running.finished_at, 99);
  EXPECT_DOUBLE_EQ(*running.energy_mwh, 12.5);
  EXPECT_EQ(*running.rollout_id, 1);
  EXPECT_FALSE(running.max_energy) << "a null column stays null";
  EXPECT_EQ(s.deployments().get(done_id)->status, "succeeded");
  auto steps = s.deployments().steps(running_id);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].name, "energy_gate");
  EXPECT_EQ(steps[1].name, "artifact");
  auto recent = s.deployments().recent(10);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].id, done_id) << "newest first";
  EXPECT_EQ(s.deployments().last_succeeded(recent[0].device_id)->id, done_id);
  EXPECT_EQ(s.deployments().next_rollout_id(), 2);
  EXPECT_FALSE(s.deployments().get(done_id + 100));
}

TEST_P(StoreOn, TelemetryQueriesAndRetention) {
  Store db(location());
  auto d = db.devices().add(device("nano-1"));
  const double day = 86400, now = 10 * day;
  std::vector<TelemetrySample> s;
  auto sample = [&](double t, double cpu, double temp, std::optional<double> power, std::optional<double> energy,
                    const char* model) {
    TelemetrySample x;
    x.device_id = d.id, x.t = t, x.cpu_ratio = cpu, x.memory_ratio = 0.5, x.temp_c = temp, x.power_w = power;
    x.energy_per_inference_j = energy, x.active_model = model;
    x.storage_ratio = 0.25, x.inference_rate = cpu * 10, x.inference_p50_s = 0.02;
    return x;
  };
  // Two days ago: 120 samples over two minutes; now: 3 recent samples; 8 days ago: 1 sample.
  for (int i = 0; i < 120; ++i) s.push_back(sample(now - 2 * day + i, i % 2 ? 0.2 : 0.4, 40.0, 5.0, 0.01, "m"));
  for (int i = 0; i < 3; ++i) s.push_back(sample(now - 10 + i, 0.3, 41.0, std::nullopt, std::nullopt, "m"));
  s.push_back(sample(now - 8 * day, 0.9, 50.0, 1.0, std::nullopt, "old"));
  db.telemetry().add(s);
  EXPECT_TRUE(db.devices().by_id(d.id)->online);
  EXPECT_EQ(db.telemetry().range(d.id, 0, now + 1, 0).size(), 124u);
  auto per_minute = db.telemetry().range(d.id, now - 2 * day - 60, now - 2 * day + 200, 60);
  ASSERT_GE(per_minute.size(), 2u);
  EXPECT_NEAR(*per_minute[0].cpu_ratio, 0.3, 1e-9);  // average of 0.2 and 0.4
  EXPECT_NEAR(*per_minute[0].inference_rate, 3.0, 1e-9);
  EXPECT_NEAR(*per_minute[0].storage_ratio, 0.25, 1e-9);
  EXPECT_NEAR(*per_minute[0].inference_p50_s, 0.02, 1e-9);

  db.telemetry().apply_retention(now, 7 * day, day);
  auto all = db.telemetry().range(d.id, 0, now + 1, 0);
  // The 8-day-old sample is gone, the 120 two-day-old ones became per-minute averages, the recent 3 stay raw.
  size_t old_left = 0, recent = 0;
  for (const auto& x : all) {
    if (x.t < now - 7 * day) ++old_left;
    if (x.t > now - 100) ++recent;
  }
  EXPECT_EQ(old_left, 0u);
  EXPECT_EQ(recent, 3u);
  EXPECT_LE(all.size(), 3u + 3u);  // 120 s span -> at most 3 minute buckets
  EXPECT_GE(all.size(), 3u + 2u);
  for (const auto& x : all) EXPECT_TRUE(x.storage_ratio && x.inference_rate) << "downsampling keeps every column";
  auto e = db.telemetry().latest_with_energy(d.id, "m");
  ASSERT_TRUE(e);
  EXPECT_NEAR(*e->energy_per_inference_j, 0.01, 1e-9);
}

// A database made by the first release (no schema_migrations, telemetry without the three later columns) is
// brought up to date at start, keeping its rows.
TEST_P(StoreOn, MigratesADatabaseFromTheFirstRelease) {
  std::string where = location();
  {
    auto db = open_database(where);
    const bool pg = GetParam() == "postgres";
    const std::string id = pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY",
                      real = pg ? "DOUBLE PRECISION" : "REAL";
    db->with([&](Connection& c) {
      c.exec("CREATE TABLE devices (id " + id +
             ", name TEXT NOT NULL UNIQUE, address TEXT NOT NULL, device_type TEXT NOT NULL, token TEXT NOT NULL "
             "DEFAULT '', created_at " +
             real + " NOT NULL, last_seen " + real +
             ", online INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '')");
      c.exec("CREATE TABLE telemetry (device_id INTEGER NOT NULL, t " + real + " NOT NULL, cpu_ratio " + real +
             ", memory_ratio " + real + ", temp_c " + real + ", power_w " + real + ", energy_per_inference_j " + real +
             ", active_model TEXT NOT NULL DEFAULT '', downsampled INTEGER NOT NULL DEFAULT 0)");
      c.exec("CREATE TABLE deployments (id " + id +
             ", rollout_id INTEGER, kind TEXT NOT NULL, device_id INTEGER NOT NULL, device_name TEXT NOT NULL, "
             "device_address TEXT NOT NULL, device_type TEXT NOT NULL, model_name TEXT NOT NULL, status TEXT NOT "
             "NULL, error TEXT NOT NULL DEFAULT '', started_at " +
             real + " NOT NULL, finished_at " + real + ", energy_mwh " + real +
             ", energy_source TEXT NOT NULL DEFAULT '', max_energy " + real +
             ", forced INTEGER NOT NULL DEFAULT 0, sha256 TEXT NOT NULL DEFAULT '', artifact_file TEXT NOT NULL "
             "DEFAULT '', artifact_source TEXT NOT NULL DEFAULT '', predicted_per_inference_mj " +
             real + ")");
      c.exec(
          "CREATE TABLE deployment_steps (deployment_id INTEGER NOT NULL REFERENCES deployments(id), seq INTEGER "
          "NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, started_at " +
          real + " NOT NULL, duration_s " + real +
          " NOT NULL, detail TEXT NOT NULL DEFAULT '', PRIMARY KEY "
          "(deployment_id, seq))");
      c.execute("INSERT INTO devices (name, address, device_type, created_at) VALUES (?, ?, ?, ?)",
                {std::string("old-nano"), std::string("10.0.0.2:8000"), std::string("jetson_nano"), 5.0});
      c.execute("INSERT INTO telemetry (device_id, t, cpu_ratio, active_model) VALUES (1, 100, 0.5, 'm')");
    });
  }
  Store s(where);
  EXPECT_EQ(s.schema_version(), latest_version());
  EXPECT_TRUE(s.leases().acquire("background", "a", 10, 5)) << "version 7 made the leases table";
  auto d = s.devices().by_name("old-nano");
  ASSERT_TRUE(d) << "rows of the old database are kept";
  auto samples = s.telemetry().range(d->id, 0, 1000, 0);
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_NEAR(*samples[0].cpu_ratio, 0.5, 1e-12);
  EXPECT_FALSE(samples[0].storage_ratio);
  TelemetrySample x;
  x.device_id = d->id, x.t = 200, x.storage_ratio = 0.7, x.inference_rate = 4;
  s.telemetry().add({x});
  EXPECT_NEAR(*s.telemetry().range(d->id, 150, 1000, 0).at(0).storage_ratio, 0.7, 1e-12) << "the new columns work";
  // Version 3: an old device is a LAN device; MQTT samples are stored once per (device, stream, seq).
  EXPECT_EQ(d->transport, "lan");
  TelemetrySample m = x;
  m.t = 300, m.stream = "s1", m.seq = 7;
  auto added = s.telemetry().add_sequenced({m, m});
  EXPECT_EQ(added, (std::vector<bool>{true, false}));
  EXPECT_EQ(s.telemetry().add_sequenced({m}), std::vector<bool>{false}) << "a resend is a duplicate";
  EXPECT_EQ(s.telemetry().count_sequenced(d->id, "s1", 1, 10), 1);
  m.stream = "s2";  // a new spool (stream) may use seq 7 again
  EXPECT_EQ(s.telemetry().add_sequenced({m}), std::vector<bool>{true});
  s.telemetry().add({x, x});  // LAN samples (no seq) are not de-duplicated by the index
  EXPECT_EQ(s.telemetry().range(d->id, 150, 250, 0).size(), 3u);
  // Version 5: the energy definitions in telemetry, the catalog_rows table, the weights of a deployment.
  TelemetrySample y;
  y.device_id = d->id, y.t = 400, y.idle_power_w = 1.5, y.duty_cycle = 0.25, y.energy_per_hour_mwh = 2000;
  s.telemetry().add({y});
  auto got = s.telemetry().range(d->id, 350, 1000, 0).at(0);
  EXPECT_NEAR(*got.idle_power_w, 1.5, 1e-12);
  EXPECT_NEAR(*got.duty_cycle, 0.25, 1e-12);
  EXPECT_NEAR(*got.energy_per_hour_mwh, 2000, 1e-9);
  s.catalog_rows().append({{0, "jetson_nano", "fleet", "{\"x\":1}", 10}});
  EXPECT_EQ(s.catalog_rows().count(), 1);
  Store again(where);
  EXPECT_EQ(again.schema_version(), latest_version()) << "nothing to do the second time";
  // Schema 8: the old device can be tagged, grouped and deleted.
  auto tagged = *d;
  tagged.tags = join_tags({"b", "a"});
  tagged.group_name = "hall";
  EXPECT_EQ(again.devices().update(tagged).tags, "a,b");
}

TEST_P(StoreOn, ANewDatabaseIsCreatedAtTheLatestVersion) {
  std::string where = location();
  Store s(where);
  EXPECT_GE(s.schema_version(), 7);
  EXPECT_EQ(s.schema_version(), latest_version());
  EXPECT_EQ(schema_version(s.db()), latest_version());
}

// Rows measured at run time are kept in order, a batch all or nothing, and are there after a reopen.
TEST_P(StoreOn, KeepsCatalogRowsAcrossRestarts) {
  std::string where = location();
  {
    Store s(where);
    std::vector<CatalogRowRecord> batch;
    for (int i = 0; i < 3; ++i)
      batch.push_back({0, "rpi5", i == 1 ? "fleet" : "api", "{\"row\":" + std::to_string(i) + "}", 100.0 + i});
    s.catalog_rows().append(batch);
    s.catalog_rows().append({});  // nothing to store is not an error
  }
  Store s(where);
  auto rows = s.catalog_rows().all();
  ASSERT_EQ(rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(rows[i].record, "{\"row\":" + std::to_string(i) + "}");
    EXPECT_EQ(rows[i].device_type, "rpi5");
    EXPECT_DOUBLE_EQ(rows[i].added_at, 100.0 + i);
    EXPECT_GT(rows[i].id, 0);
  }
  EXPECT_EQ(rows[1].origin, "fleet");
  // A batch that fails part way (a NULL where the column is NOT NULL) stores nothing.
  EXPECT_THROW(s.db().transaction([&](Connection& c) {
    c.execute("INSERT INTO catalog_rows (device_type, origin, record, added_at) VALUES ('rpi5', 'api', '{}', 1)");
    c.execute("INSERT INTO catalog_rows (device_type, origin, record, added_at) VALUES (NULL, 'api', '{}', 1)");
  }),
               Error);
  EXPECT_EQ(s.catalog_rows().count(), 3);
}

// Schema 8: editing a device, and deleting it with its history kept (hidden, renamed, its id never handed out again)
// or purged (its telemetry, deployments and steps deleted); a device with a running deployment is not deleted.
TEST_P(StoreOn, EditsAndDeletesDevicesKeepingOrPurgingTheirHistory) {
  Store s(location());
  auto a = s.devices().add(device("a")), b = s.devices().add(device("b"));
  a.name = "a2";
  a.tags = join_tags({"lab", "cam", "lab", ""});
  a.group_name = "hall";
  a.last_error = "ignored: the poller's field";
  auto saved = s.devices().update(a);
  EXPECT_EQ(saved.name, "a2");
  EXPECT_EQ(saved.tags, "cam,lab");
  EXPECT_EQ(split_tags(saved.tags), (std::vector<std::string>{"cam", "lab"}));
  EXPECT_EQ(saved.group_name, "hall");
  EXPECT_EQ(saved.last_error, "");
  a.name = "b";
  try {
    s.devices().update(a);
    FAIL() << "a taken name accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_EQ(e.field(), "name");
  }

  // History of b: telemetry and a finished deployment with a step.
  TelemetrySample x;
  x.device_id = b.id, x.t = 100, x.cpu_ratio = 0.5;
  s.telemetry().add({x});
  DeploymentRecord rec;
  rec.device_id = b.id, rec.device_name = "b", rec.model_name = "m", rec.started_at = 100, rec.status = "running";
  long long dep = s.deployments().begin(rec);
  s.deployments().add_step(dep, StepRecord{"transfer", "passed", "", 100, 1});
  try {
    remove_device(s.db(), b.id, false, 200);
    FAIL() << "deleted with a running deployment";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
  }
  rec = *s.deployments().get(dep);
  rec.status = "succeeded";
  s.deployments().update(rec);

  CommandRecord queued;  // a command waiting for b (an MQTT-mode agent) is not sent after b is deleted
  queued.command_id = "deploy-9-b", queued.device_id = b.id, queued.type = "deploy", queued.message = "{}";
  queued.issued_at = 150, queued.expires_at = 10000;
  s.commands().add(queued);
  auto kept = remove_device(s.db(), b.id, false, 200);
  EXPECT_TRUE(s.commands().pending(b.id, 250).empty());
  EXPECT_EQ(s.commands().by_command_id("deploy-9-b")->state, "expired");
  EXPECT_FALSE(kept.purged);
  EXPECT_EQ(kept.telemetry_samples, 1);
  EXPECT_EQ(kept.deployments, 1);
  EXPECT_FALSE(s.devices().by_id(b.id));
  EXPECT_FALSE(s.devices().by_name("b"));
  EXPECT_EQ(s.devices().all().size(), 1u);
  EXPECT_THROW(remove_device(s.db(), b.id, false, 300), NotFoundError);
  EXPECT_EQ(s.telemetry().range(b.id, 0, 1000, 0).size(), 1u) << "kept";
  EXPECT_EQ(s.deployments().for_device(b.id, 10).size(), 1u) << "kept";
  auto again = s.devices().add(device("b"));  // the name is free; the id is new
  EXPECT_NE(again.id, b.id);
  EXPECT_TRUE(s.telemetry().range(again.id, 0, 1000, 0).empty());

  auto purged = remove_device(s.db(), saved.id, true, 400);
  EXPECT_TRUE(purged.purged);
  EXPECT_FALSE(s.devices().by_id(saved.id));
  EXPECT_THROW(s.devices().update(saved), NotFoundError);
  EXPECT_THROW(remove_device(s.db(), 987654, true, 400), NotFoundError);
  DeploymentRecord other;
  other.device_id = again.id, other.device_name = "b", other.model_name = "m", other.started_at = 1;
  other.rollout_id = 77, other.status = "failed";
  s.deployments().begin(other);
  s.deployments().begin(other);
  EXPECT_EQ(s.deployments().by_rollout(77).size(), 2u);
  EXPECT_EQ(s.deployments().for_device(again.id, 1).size(), 1u);
  remove_device(s.db(), again.id, true, 500);
  EXPECT_TRUE(s.deployments().by_rollout(77).empty()) << "purged with its device";
  EXPECT_TRUE(s.telemetry().range(b.id, 0, 1000, 0).size() == 1u) << "the first b's kept history is not touched";
}

TEST_P(StoreOn, PendingCommandsAreKeptUntilAcceptedOrExpired) {
  Store s(location());
  Device d;
  d.name = "nano-m", d.transport = "mqtt", d.device_type = "jetson_nano", d.created_at = 1;
  d = s.devices().add(d);
  EXPECT_EQ(s.devices().by_name("nano-m")->transport, "mqtt");
  CommandRecord c;
  c.command_id = "deploy-1-a", c.device_id = d.id, c.type = "deploy", c.message = "{}", c.issued_at = 100;
  c.expires_at = 200;
  s.commands().add(c);
  c.command_id = "deploy-2-b", c.expires_at = 120;
  s.commands().add(c);
  EXPECT_EQ(s.commands().pending(d.id, 110).size(), 2u);
  EXPECT_EQ(s.commands().expire(130), 1);
  auto left = s.commands().pending(d.id, 130);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].command_id, "deploy-1-a");
  s.commands().sent("deploy-1-a", 131);
  EXPECT_TRUE(s.commands().set_state("deploy-1-a", "accepted", 132));
  EXPECT_TRUE(s.commands().pending(d.id, 133).empty()) << "accepted: not sent again";
  EXPECT_FALSE(s.commands().set_state("deploy-1-a", "accepted", 134)) << "only forward";
  EXPECT_TRUE(s.commands().set_state("deploy-1-a", "succeeded", 135, "{\"kind\":\"succeeded\"}"));
  EXPECT_FALSE(s.commands().set_state("deploy-1-a", "failed", 136)) << "a final state is never left";
  auto done = s.commands().by_command_id("deploy-1-a");
  EXPECT_EQ(done->state, "succeeded");
  EXPECT_EQ(done->sends, 1);
  EXPECT_FALSE(s.commands().set_state("deploy-2-b", "accepted", 137)) << "expired stays expired";
}

// Leases: one holder at a time, renewed by the holder only, taken over once expired (the clock is the argument).
TEST_P(StoreOn, LeasesHaveOneHolderAndAreTakenOverWhenExpired) {
  Store s(location());
  auto& l = s.leases();
  EXPECT_FALSE(l.holder("background", 100));
  EXPECT_TRUE(l.acquire("background", "a", 100, 10));
  EXPECT_FALSE(l.acquire("background", "b", 105, 10)) << "held by a until 110";
  EXPECT_EQ(l.holder("background", 105), "a");
  EXPECT_TRUE(l.acquire("background", "a", 108, 10)) << "a renews: now until 118";
  EXPECT_FALSE(l.acquire("background", "b", 115, 10));
  EXPECT_TRUE(l.acquire("background", "b", 118, 10)) << "expired at 118: b takes it over";
  EXPECT_EQ(l.holder("background", 119), "b");
  EXPECT_FALSE(l.acquire("background", "a", 120, 10)) << "a, back, does not get it while b renews";
  EXPECT_FALSE(l.release("background", "a")) << "only the holder releases";
  EXPECT_TRUE(l.release("background", "b"));
  EXPECT_FALSE(l.holder("background", 121));
  EXPECT_TRUE(l.acquire("background", "a", 121, 10)) << "released: free at once";
  EXPECT_TRUE(l.acquire("controller/b", "b", 121, 10)) << "leases are independent by name";
}

// Many threads race for one free lease at the same instant: exactly one wins (the statement is conditional).
TEST_P(StoreOn, RacingControllersGetALeaseOnce) {
  std::string where = location();
  Store s(where);
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(std::make_unique<Store>(where));
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      if (stores[i]->leases().acquire("race", "c" + std::to_string(i), 50, 10)) ++won;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
}

// Deployments record their owner: a controller at start interrupts only its own; another's running deployment is
// orphaned once that owner's liveness lease expired; a claim and a send are each taken once.
TEST_P(StoreOn, DeploymentsAreOwnedClaimedOnceAndOrphanedWhenTheirOwnerDies) {
  Store s(location());
  auto dev = s.devices().add(device("nano-o"));
  auto make = [&](const std::string& owner) {
    DeploymentRecord r;
    r.device_id = dev.id, r.device_name = dev.name, r.device_address = dev.address;
    r.device_type = dev.device_type, r.model_name = "m", r.started_at = 1, r.owner = owner;
    r.rollout_id = 1, r.base_url = "http://127.0.0.1:1", r.max_failures = 2;
    return s.deployments().begin(r);
  };
  long long a1 = make("A"), b1 = make("B"), b2 = make("B");
  EXPECT_EQ(s.deployments().get(b1)->base_url, "http://127.0.0.1:1");
  EXPECT_EQ(s.deployments().get(b1)->max_failures, 2);
  EXPECT_EQ(s.deployments().mark_interrupted(10, "A"), 1) << "A restarted: only its own";
  EXPECT_EQ(s.deployments().get(a1)->status, "interrupted");
  EXPECT_EQ(s.deployments().get(b1)->status, "running");
  s.leases().acquire("controller/B", "B", 10, 5);
  EXPECT_TRUE(s.deployments().orphaned(12, "controller/").empty()) << "B is alive";
  auto orphans = s.deployments().orphaned(16, "controller/");
  ASSERT_EQ(orphans.size(), 2u) << "B's lease expired at 15";
  EXPECT_EQ(orphans[0].id, b1);
  EXPECT_TRUE(s.deployments().claim(b1, "B", "A"));
  EXPECT_FALSE(s.deployments().claim(b1, "B", "C")) << "A was first";
  EXPECT_TRUE(s.deployments().claim_send(b1, "A", 17));
  EXPECT_FALSE(s.deployments().claim_send(b1, "A", 18)) << "sent once";
  EXPECT_FALSE(s.deployments().claim_send(b2, "A", 18)) << "not A's";
  EXPECT_NEAR(*s.deployments().get(b1)->sent_at, 17, 1e-9);
  EXPECT_EQ(s.deployments().of_rollout(1).size(), 3u);
}

// A fleet's batch is stored in multi-row statements (500 rows each): 1,200 samples of which the first 300 were stored
// by another controller already; each flag says whether that sample was new, and every sample is stored once.
TEST_P(StoreOn, LargeSequencedBatchesAreStoredOnceAcrossStatements) {
  Store s(location());
  auto d = s.devices().add(device("nano-b"));
  std::vector<TelemetrySample> batch;
  for (long long i = 0; i < 1200; ++i) {
    TelemetrySample x;
    x.device_id = d.id, x.t = 1000 + i, x.power_w = 1.5, x.stream = "s", x.seq = i;
    batch.push_back(x);
  }
  std::vector<TelemetrySample> first(batch.begin(), batch.begin() + 300);
  EXPECT_EQ(s.telemetry().add_sequenced(first), std::vector<bool>(300, true));
  auto added = s.telemetry().add_sequenced(batch);
  ASSERT_EQ(added.size(), 1200u);
  for (size_t i = 0; i < added.size(); ++i) ASSERT_EQ(added[i], i >= 300) << i;
  EXPECT_EQ(s.telemetry().count_sequenced(d.id, "s", 0, 1199), 1200);
  EXPECT_NEAR(*s.telemetry().range(d.id, 1000, 3000, 0).back().power_w, 1.5, 1e-12);
  EXPECT_DOUBLE_EQ(*s.devices().by_id(d.id)->last_seen, 2199) << "seen at its newest sample";
  TelemetrySample late = batch[0];
  late.seq = 5000, late.t = 500;
  EXPECT_EQ(s.telemetry().add_sequenced({late}), std::vector<bool>{true});
  EXPECT_DOUBLE_EQ(*s.devices().by_id(d.id)->last_seen, 2199) << "a late sample does not move last_seen back";
}

// Schema 6: alert rules (unique names), the history of transitions by time, and the evaluator's and the delivery
// queue's documents, rewritten in place and read back by a restarted controller.
TEST_P(StoreOn, AlertRulesHistoryAndStateSurviveAReopen) {
  std::string where = location();
  {
    Store s(where);
    s.alerts().add_rule("hot", R"({"name":"hot"})", 10);
    s.alerts().add_rule("cold", R"({"name":"cold"})", 11);
    try {
      s.alerts().add_rule("hot", "{}", 12);
      ADD_FAILURE() << "a second rule named hot was stored";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::conflict);
      EXPECT_EQ(e.field(), "name");
    }
    EXPECT_TRUE(s.alerts().update_rule("hot", R"({"name":"hot","threshold":50})", 13));
    EXPECT_FALSE(s.alerts().update_rule("ghost", "{}", 13));
    EXPECT_TRUE(s.alerts().remove_rule("cold"));
    EXPECT_FALSE(s.alerts().remove_rule("cold"));
    s.alerts().add_history({{0, 100, "hot", "edge-1", "firing", "{\"a\":1}"},
                            {0, 200, "hot", "edge-1", "resolved", "{\"a\":2}"},
                            {0, 300, "hot", "edge-2", "firing", "{\"a\":3}"}});
    s.alerts().save_evaluator_state("{\"v\":1}", 20);
    s.alerts().save_evaluator_state("{\"v\":2}", 21);
    EXPECT_FALSE(s.alerts().deliveries());
    s.alerts().save_deliveries("[1]", 22);
  }
  Store s(where);
  EXPECT_GE(s.schema_version(), 6) << "the alert tables came with version 6";
  auto rules = s.alerts().rules();
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].rule_json, R"({"name":"hot","threshold":50})");
  EXPECT_EQ(rules[0].created_at, 10);
  EXPECT_EQ(rules[0].updated_at, 13);
  auto h = s.alerts().history(150, 400, 10);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].kind, "resolved");
  EXPECT_EQ(h[1].device, "edge-2");
  EXPECT_EQ(s.alerts().history(0, 1000, 1).size(), 1u) << "limit";
  EXPECT_EQ(s.alerts().evaluator_state().value_or(""), "{\"v\":2}") << "one row, rewritten";
  EXPECT_EQ(s.alerts().deliveries().value_or(""), "[1]");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreOn, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(SqliteStore, UsesWalAndKeepsTheFileToItsOwner) {
  TempDir t("store");
  auto file = t.path / "c.db";
  SqliteDatabase db(file);
  EXPECT_EQ(db.journal_mode(), "wal");
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600) << "the database holds secrets: owner only";
}
