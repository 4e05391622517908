// The telemetry spool with real files: order, acknowledgement, restart, SIGKILL, damage, bounds, a full disk.
#include "spool/telemetry_spool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "common/error.hpp"
#include "spool_test_support.hpp"

namespace edgeml::spool {
namespace {
using testing::nano_sample;
using testing::TempDir;
namespace fs = std::filesystem;

std::vector<std::uint64_t> seqs(const std::vector<SpoolRecord>& records) {
  std::vector<std::uint64_t> out;
  for (const auto& r : records) out.push_back(r.seq);
  return out;
}

std::vector<std::uint64_t> range(std::uint64_t a, std::uint64_t b) {
  std::vector<std::uint64_t> out;
  for (auto i = a; i <= b; ++i) out.push_back(i);
  return out;
}

TEST(Spool, AppendReadAcknowledgeInOrder) {
  TempDir d;
  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(spool.append(nano_sample(clock.now_s() + i)), std::uint64_t(i + 1));
  auto first = spool.read_after(0, 10, 1 << 20);
  EXPECT_EQ(seqs(first), range(1, 10));
  auto s = wire::sample_from_json(nlohmann::json::parse(first[3].payload));
  EXPECT_EQ(s.seq, 4u);
  EXPECT_DOUBLE_EQ(*s.power_w, 0.933);
  EXPECT_DOUBLE_EQ(first[3].t, clock.now_s() + 3);

  spool.acknowledge(10);
  EXPECT_EQ(seqs(spool.read_after(spool.acked(), 5, 1 << 20)), range(11, 15));
  // A byte budget: at least one record, then only what fits.
  EXPECT_EQ(spool.read_after(10, 100, 1).size(), 1u);
  auto st = spool.stats();
  EXPECT_EQ(st.appended, 100u);
  EXPECT_EQ(st.unacked, 90u);
  EXPECT_EQ(st.next_seq, 101u);
  spool.acknowledge(1000);  // past the end: up to the last stored
  EXPECT_EQ(spool.acked(), 100u);
  EXPECT_EQ(spool.stats().unacked, 0u);
  EXPECT_TRUE(spool.read_after(spool.acked(), 10, 1 << 20).empty());
  // Segments are deleted once the mark on disk covers them (written at most once a second).
  EXPECT_EQ(spool.stats().records, 100u);
  clock.advance(1.5);
  spool.acknowledge(100);
  spool.sync();
  EXPECT_EQ(spool.stats().records, 0u);
  EXPECT_EQ(spool.stats().bytes, 0u);
}

TEST(Spool, SurvivesARestart) {
  TempDir d;
  ManualClock clock;
  std::string stream;
  {
    TelemetrySpool spool(d.path, {}, clock);
    stream = spool.stream();
    for (int i = 0; i < 50; ++i) spool.append(nano_sample(clock.now_s()));
    spool.acknowledge(20);
  }  // closing writes the acknowledged mark
  TelemetrySpool again(d.path, {}, clock);
  EXPECT_EQ(again.stream(), stream);
  EXPECT_EQ(again.acked(), 20u);
  EXPECT_EQ(seqs(again.read_after(again.acked(), 100, 1 << 20)), range(21, 50));
  EXPECT_EQ(again.append(nano_sample(clock.now_s())), 51u);

  // A wiped folder is a new stream (the controller must not take its seq 1 for a duplicate).
  TempDir other;
  clock.advance(1);
  TelemetrySpool fresh(other.path, {}, clock);
  EXPECT_NE(fresh.stream(), stream);
  EXPECT_EQ(fresh.append(nano_sample(clock.now_s())), 1u);
}

// The acknowledged mark is written at most once a second: what a crash finds on disk is the last written mark, and
// the samples after it are sent again (de-duplicated by the controller) - never fewer.
TEST(Spool, AcknowledgedMarkOnDiskLagsAtMostASecond) {
  TempDir d;
  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  for (int i = 0; i < 30; ++i) spool.append(nano_sample(clock.now_s()));
  clock.advance(2);
  spool.acknowledge(10);  // written
  spool.acknowledge(20);  // within the second: not yet
  TempDir copy;
  fs::copy(d.path, copy.path, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  TelemetrySpool after_crash(copy.path, {}, clock);
  EXPECT_EQ(after_crash.acked(), 10u);
  EXPECT_EQ(after_crash.read_after(after_crash.acked(), 100, 1 << 20).front().seq, 11u);
}

// A process killed mid-stream (SIGKILL) loses nothing append() had returned: write(2) put it in the kernel.
TEST(Spool, SigkillLosesNoStoredSample) {
  TempDir d;
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(fds[0]);
    SystemClock clock;
    SpoolLimits limits;
    limits.fsync = FsyncPolicy::never;
    TelemetrySpool spool(d.path, limits, clock);
    for (;;) {
      auto seq = spool.append(nano_sample(clock.now_s()));
      if (seq && ::write(fds[1], &*seq, sizeof *seq) != sizeof *seq) ::_exit(3);
    }
  }
  ::close(fds[1]);
  std::uint64_t reported = 0, seq;
  while (reported < 3000 && ::read(fds[0], &seq, sizeof seq) == sizeof seq) reported = seq;
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  ::close(fds[0]);
  ASSERT_GE(reported, 3000u);

  ManualClock clock;
  TelemetrySpool spool(d.path, {}, clock);
  auto all = spool.read_after(0, 1'000'000, 1 << 30);
  ASSERT_GE(all.size(), reported);
  EXPECT_EQ(seqs(all), range(1, all.size()));  // contiguous from 1, no hole, nothing damaged read as a sample
  for (const auto& r : all) EXPECT_NO_THROW(wire::sample_from_json(nlohmann::json::parse(r.payload)));
  auto next = spool.append(nano_sample(clock.now_s()));
  ASSERT_TRUE(next);
  EXPECT_GT(*next, all.size());
}

fs::path only_segment(const fs::path& dir) {
  fs::path seg;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".seg") seg = e.path();
  return seg;
}

TEST(Spool, ATornLastRecordIsCutOffAndNumbersMoveOn) {
  TempDir d;
  ManualClock clock;
  {
    TelemetrySpool spool(d.path, {}, clock);
    for (int i = 0; i < 10; ++i) spool.append(nano_sample(clock.now_s()));
  }
  auto seg = only_segment(d.path);
  auto good_size = fs::file_size(seg);
  {
    // Half of an 11th record, as a crash in the middle of write(2) leaves it.
    auto rec = encode_record(11, clock.now_s(), wire::to_json(nano_sample(clock.now_s())).dump());
    std::ofstream(seg, std::ios::app | std::ios::binary)
        .write(rec.data(), static_cast<std::streamsize>(rec.size() / 2));
  }
  TelemetrySpool spool(d.path, {}, clock);
  EXPECT_EQ(spool.stats().dropped_damaged, 1u);
  EXPECT_EQ(fs::file_size(seg), good_size);
  EXPECT_EQ(seqs(spool.read_after(0, 100, 1 << 20)), range(1, 10));
  auto next = spool.append(nano_sample(clock.now_s()));
  ASSERT_TRUE(next);
  EXPECT_GT(*next, 10u);  // never a number the cut bytes may have carried
  auto after = spool.read_after(10, 10, 1 << 20);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].seq, *next);
}

TEST(Spool, ADamagedRecordStopsTheSegmentThereAndNoNumberIsReused) {
  TempDir d;
  ManualClock clock;
  {
    TelemetrySpool spool(d.path, {}, clock);
    for (int i = 0; i < 10; ++i) spool.append(nano_sample(clock.now_s()));
  }
  auto seg = only_segment(d.path);
  std::string content;
  {
    std::ifstream in(seg, std::ios::binary);
    content.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto record_size = content.size() / 10;
  content[4 * record_size + 40] ^= 0x5A;  // a flipped byte inside record 5's payload
  std::ofstream(seg, std::ios::binary | std::ios::trunc) << content;
  TelemetrySpool spool(d.path, {}, clock);
  EXPECT_EQ(spool.stats().dropped_damaged, 1u);
  EXPECT_EQ(seqs(spool.read_after(0, 100, 1 << 20)), range(1, 4));
  EXPECT_GT(*spool.append(nano_sample(clock.now_s())), 10u);
}

TEST(Spool, SizeBoundDropsTheOldestAndCountsThem) {
  TempDir d;
  ManualClock clock;
  SpoolLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.segment_bytes = 4096;
  TelemetrySpool spool(d.path, limits, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(spool.append(nano_sample(clock.now_s())));
  auto st = spool.stats();
  EXPECT_LE(st.bytes, limits.max_bytes);
  EXPECT_GT(st.dropped_by_size, 0u);
  EXPECT_EQ(st.dropped_by_size, st.first_seq - 1);  // every sample before the oldest kept, and only those
  EXPECT_EQ(st.last_seq, 1000u);
  EXPECT_EQ(spool.read_after(0, 1, 1 << 20).front().seq, st.first_seq);
  std::uint64_t on_disk = 0;
  for (const auto& e : fs::directory_iterator(d.path))
    if (e.path().extension() == ".seg") on_disk += fs::file_size(e.path());
  EXPECT_EQ(on_disk, st.bytes);
}

TEST(Spool, AgeBoundDropsOldSegments) {
  TempDir d;
  ManualClock clock;
  SpoolLimits limits;
  limits.max_age_s = 3600;
  limits.max_bytes = 1 << 20;
  limits.segment_bytes = 4096;
  TelemetrySpool spool(d.path, limits, clock);
  for (int i = 0; i < 300; ++i) {  // one sample a minute for five hours
    spool.append(nano_sample(clock.now_s()));
    clock.advance(60);
  }
  auto st = spool.stats();
  EXPECT_GT(st.dropped_by_age, 0u);
  EXPECT_EQ(st.dropped_by_age, st.first_seq - 1);
  auto oldest = spool.read_after(0, 1, 1 << 20).front();
  // Whole segments go: what is left may start up to one segment (~14 samples here) before the hour.
  EXPECT_GE(oldest.t, clock.now_s() - 3600 - 60 * 20);
  EXPECT_EQ(st.dropped_by_size, 0u);
}

TEST(Spool, LimitsAreChecked) {
  TempDir d;
  ManualClock clock;
  auto refused = [&](SpoolLimits l, const std::string& field) {
    try {
      TelemetrySpool s(d.path, l, clock);
      ADD_FAILURE() << field;
    } catch (const FieldError& e) {
      EXPECT_EQ(e.field(), field);
    }
  };
  SpoolLimits l;
  l.max_bytes = 1000;
  refused(l, "spool.max_bytes");
  l = {};
  l.max_age_s = 0;
  refused(l, "spool.max_age_s");
  l = {};
  l.segment_bytes = l.max_bytes;
  refused(l, "spool.segment_bytes");
}

TEST(Spool, KeepsTheConfiguredFreeSpace) {
  TempDir d;
  ManualClock clock;
  SpoolLimits limits;
  limits.min_free_bytes = 1ull << 60;  // more than any disk has
  TelemetrySpool spool(d.path, limits, clock);
  EXPECT_FALSE(spool.append(nano_sample(clock.now_s())));
  EXPECT_EQ(spool.stats().refused_disk_full, 1u);
  EXPECT_EQ(spool.stats().next_seq, 1u);  // the number was not used
}

// A real full file system: a 64 KiB tmpfs. Appends are refused and counted, nothing throws; once acknowledged samples
// are deleted, appends work again and numbering has no gap.
TEST(Spool, AFullDiskIsCountedNeverFatal) {
  TempDir d;
  auto mnt = d / "small";
  fs::create_directories(mnt);
  if (::mount("tmpfs", mnt.c_str(), "tmpfs", 0, "size=64k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs (needs root / CAP_SYS_ADMIN): " << std::strerror(errno);
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{mnt};
  ManualClock clock;
  SpoolLimits limits;
  limits.max_bytes = 1 << 20;
  limits.segment_bytes = 8192;
  std::uint64_t stored = 0;
  {
    TelemetrySpool spool(mnt / "spool", limits, clock);
    for (int i = 0; i < 2000; ++i)
      if (spool.append(nano_sample(clock.now_s()))) ++stored;
    auto st = spool.stats();
    EXPECT_GT(st.refused_disk_full, 0u);
    EXPECT_EQ(st.refused_io_error, 0u);
    EXPECT_EQ(stored, st.last_seq);
    EXPECT_EQ(stored + st.refused_disk_full, 2000u);
    // Every stored record reads back whole.
    auto all = spool.read_after(0, 100000, 1 << 30);
    EXPECT_EQ(seqs(all), range(1, stored));

    clock.advance(2);
    spool.acknowledge(stored);  // delivered: the mark is written in place (no new block), the segments go
    auto next = spool.append(nano_sample(clock.now_s()));
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, stored + 1);
  }
  TelemetrySpool reopened(mnt / "spool", limits, clock);
  EXPECT_EQ(reopened.stats().last_seq, stored + 1);
  EXPECT_EQ(reopened.stats().dropped_damaged, 0u);
}

}  // namespace
}  // namespace edgeml::spool
