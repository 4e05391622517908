#include "spool/telemetry_spool.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/log.hpp"
#include "common/names.hpp"
#include "common/strings.hpp"

namespace edgeml::spool {

namespace fs = std::filesystem;

namespace {
constexpr const char* kComponent = "spool";

std::string segment_name(std::uint64_t first_seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu.seg", static_cast<unsigned long long>(first_seq));
  return buf;
}

std::optional<std::uint64_t> segment_seq(const fs::path& p) {
  auto name = p.filename().string();
  if (p.extension() != ".seg" || name.size() != 24) return std::nullopt;
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(name.data(), name.data() + 20, v);
  if (ec != std::errc() || end != name.data() + 20) return std::nullopt;
  return v;
}

SpoolLimits checked(SpoolLimits l) {
  if (l.max_bytes < 64 * 1024) throw FieldError("spool.max_bytes", "the spool needs at least 64 KiB");
  if (!(l.max_age_s > 0)) throw FieldError("spool.max_age_s", "the spool's maximum age must be > 0 s");
  if (!(l.fsync_interval_s > 0)) throw FieldError("spool.fsync_interval_s", "the fsync interval must be > 0 s");
  if (l.segment_bytes == 0) l.segment_bytes = std::clamp<std::uint64_t>(l.max_bytes / 16, 4096, 8ull << 20);
  if (l.segment_bytes < 4096 || l.segment_bytes > l.max_bytes / 2)
    throw FieldError("spool.segment_bytes", "a spool segment must be 4 KiB to half of max_bytes");
  return l;
}

bool disk_full(int err) { return err == ENOSPC || err == EDQUOT; }
}  // namespace

TelemetrySpool::TelemetrySpool(fs::path dir, SpoolLimits limits, const Clock& clock)
    : dir_(std::move(dir)), limits_(checked(limits)), clock_(clock) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw std::runtime_error("cannot create the spool folder " + dir_.string() + ": " + ec.message());
  auto stream_file = dir_ / "stream";
  if (fs::exists(stream_file)) {
    stream_ = std::string(trim(read_file(stream_file)));
    validate_name(stream_, "stream");
  } else {
    // A new spool is a new stream: its sequence numbers start again at 1 without colliding with an old one's.
    char buf[32];
    std::snprintf(buf, sizeof buf, "s%llx", static_cast<unsigned long long>(clock_.now_s() * 1e6));
    stream_ = buf;
    write_file_atomic(stream_file, stream_ + "\n");
  }
  auto ack_file = dir_ / "acked";
  if (fs::exists(ack_file)) {
    auto v = parse_int(trim(read_file(ack_file)));
    if (v && *v >= 0) acked_ = persisted_ack_ = static_cast<std::uint64_t>(*v);
  }
  // The mark's file exists from the start, so later writes only rewrite its block (they must work on a full disk).
  ack_fd_ = ::open(ack_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  char mark[32];
  int n = std::snprintf(mark, sizeof mark, "%020llu\n", static_cast<unsigned long long>(acked_));
  if (ack_fd_ < 0 || ::pwrite(ack_fd_, mark, static_cast<size_t>(n), 0) != n)
    log::warn(kComponent, "cannot write " + ack_file.string() + ": " + std::strerror(errno));
  if (fs::exists(dir_ / "floor")) {
    auto v = parse_int(trim(read_file(dir_ / "floor")));
    if (v && *v > 0) seq_floor_ = static_cast<std::uint64_t>(*v);
  }
  recover();
  last_ack_write_s_ = last_fsync_s_ = clock_.monotonic_s();
}

TelemetrySpool::~TelemetrySpool() {
  try {
    sync();
  } catch (const std::exception& e) {
    log::warn(kComponent, std::string("closing the spool: ") + e.what());
  }
  std::lock_guard lock(mu_);
  close_active();
  if (ack_fd_ >= 0) ::close(ack_fd_);
}

void TelemetrySpool::recover() {
  std::vector<std::pair<std::uint64_t, fs::path>> found;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (auto seq = segment_seq(e.path())) found.emplace_back(*seq, e.path());
    // A temporary from write_file_atomic of a crashed process.
    if (e.path().filename().string().find(".tmp-") != std::string::npos) fs::remove(e.path());
  }
  std::sort(found.begin(), found.end());
  for (const auto& [seq, path] : found) load_segment(path);
  delete_acknowledged_segments();
  std::uint64_t last = segments_.empty() ? 0 : segments_.back().last_seq();
  next_seq_ = std::max({acked_ + 1, last + 1, seq_floor_});
  // Keep appending to the last segment while it has room.
  if (!segments_.empty() && segments_.back().bytes < limits_.segment_bytes) {
    active_fd_ = ::open(segments_.back().path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (active_fd_ < 0)
      log::warn(kComponent, "cannot reopen " + segments_.back().path.string() + ": " + std::strerror(errno));
  }
}

void TelemetrySpool::load_segment(const fs::path& path) {
  std::string bytes = read_file(path);
  Segment seg;
  seg.path = path;
  seg.first_seq = *segment_seq(path);
  std::uint64_t expected = seg.first_seq;
  if (!segments_.empty() && seg.first_seq <= segments_.back().last_seq()) expected = 0;  // overlaps: unusable
  std::size_t at = 0;
  while (at < bytes.size() && expected != 0) {
    auto d = decode_record(std::string_view(bytes).substr(at));
    if (!d || d->record.seq != expected) break;
    seg.offsets.push_back(at);
    seg.newest_t = std::max(seg.newest_t, d->record.t);
    at += d->size;
    ++expected;
  }
  if (at < bytes.size()) {
    // A record cut short by a crash (or damaged): cut the file there. What followed it cannot be trusted either.
    ++counts_.dropped_damaged;
    // Each record takes at least a header, so the cut bytes held at most this many sequence numbers.
    seq_floor_ = std::max(seq_floor_, expected + (bytes.size() - at) / kRecordHeaderBytes + 1);
    log::warn(kComponent, "cut " + std::to_string(bytes.size() - at) + " damaged bytes off " + path.string() +
                              " after " + std::to_string(seg.offsets.size()) + " good records");
    if (::truncate(path.c_str(), static_cast<off_t>(at)) != 0)
      log::warn(kComponent, "cannot truncate " + path.string() + ": " + std::strerror(errno));
  }
  if (seg.offsets.empty()) {
    fs::remove(path);
    return;
  }
  seg.bytes = at;
  total_bytes_ += seg.bytes;
  segments_.push_back(std::move(seg));
}

std::uint64_t TelemetrySpool::unacked_in(const Segment& s) const {
  if (s.last_seq() <= acked_) return 0;
  return s.first_seq > acked_ ? s.offsets.size() : s.last_seq() - acked_;
}

void TelemetrySpool::close_active() {
  if (active_fd_ >= 0) {
    if (unsynced_ && limits_.fsync != FsyncPolicy::never) ::fdatasync(active_fd_);
    ::close(active_fd_);
    active_fd_ = -1;
    unsynced_ = false;
  }
}

void TelemetrySpool::drop_front(bool by_age) {
  auto& seg = segments_.front();
  auto lost = unacked_in(seg);
  (by_age ? counts_.dropped_by_age : counts_.dropped_by_size) += lost;
  if (lost)
    log::warn(kComponent, "dropped " + std::to_string(lost) + " unsent samples (" +
                              (by_age ? "older than " + format_number(limits_.max_age_s, 0) + " s"
                                      : "spool over " + std::to_string(limits_.max_bytes) + " bytes") +
                              "), seq " + std::to_string(std::max(seg.first_seq, acked_ + 1)) + "-" +
                              std::to_string(seg.last_seq()));
  if (segments_.size() == 1) {
    // The newest segment goes (all of it too old): remember how far numbering went, which nothing else on disk says.
    close_active();
    try {
      write_file_atomic(dir_ / "floor", std::to_string(next_seq_) + "\n");
    } catch (const std::exception& e) {
      log::warn(kComponent, std::string("cannot write the sequence floor: ") + e.what());
    }
  }
  std::error_code ec;
  fs::remove(seg.path, ec);
  total_bytes_ -= seg.bytes;
  segments_.pop_front();
}

void TelemetrySpool::delete_acknowledged_segments() {
  // Only below the mark on disk: after a crash, numbering resumes above the last segment or the written mark, so a
  // segment deleted before its acknowledgement was written would let sequence numbers be handed out twice.
  while (!segments_.empty() && segments_.front().last_seq() <= persisted_ack_) {
    if (segments_.size() == 1) close_active();
    std::error_code ec;
    fs::remove(segments_.front().path, ec);
    total_bytes_ -= segments_.front().bytes;
    segments_.pop_front();
  }
}

void TelemetrySpool::prune_locked(double now) {
  while (!segments_.empty() && segments_.front().newest_t < now - limits_.max_age_s) drop_front(true);
}

void TelemetrySpool::prune() {
  std::lock_guard lock(mu_);
  prune_locked(clock_.now_s());
}

bool TelemetrySpool::write_record(const std::string& bytes) {
  auto& seg = segments_.back();
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(active_fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : ENOSPC;
      // Undo a partial record so the file stays a sequence of whole records.
      if (done > 0 && ::ftruncate(active_fd_, static_cast<off_t>(seg.bytes)) != 0)
        log::warn(kComponent, "cannot undo a partial write in " + seg.path.string() + ": " + std::strerror(errno));
      (disk_full(err) ? counts_.refused_disk_full : counts_.refused_io_error)++;
      log::warn(kComponent, "sample not stored: " + std::string(std::strerror(err)) + " writing " + seg.path.string());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<std::uint64_t> TelemetrySpool::append(wire::TelemetrySample sample) {
  std::lock_guard lock(mu_);
  prune_locked(clock_.now_s());
  sample.seq = next_seq_;
  std::string record = encode_record(sample.seq, sample.t, wire::to_json(sample).dump());
  if (record.size() > limits_.segment_bytes) {
    ++counts_.refused_too_large;
    log::warn(kComponent, "sample of " + std::to_string(record.size()) + " bytes is larger than a spool segment (" +
                              std::to_string(limits_.segment_bytes) + " bytes): not stored");
    return std::nullopt;
  }
  while (!segments_.empty() && total_bytes_ + record.size() > limits_.max_bytes) drop_front(false);
  if (limits_.min_free_bytes > 0) {
    std::uint64_t free = 0;
    try {
      free = free_bytes(dir_);
    } catch (const std::exception&) {
    }
    if (free < record.size() + limits_.min_free_bytes) {
      ++counts_.refused_disk_full;
      log::warn(kComponent, "sample not stored: " + std::to_string(free) + " bytes free, the spool keeps " +
                                std::to_string(limits_.min_free_bytes) + " free");
      return std::nullopt;
    }
  }
  bool new_segment = active_fd_ < 0 || segments_.back().bytes + record.size() > limits_.segment_bytes;
  if (new_segment) {
    close_active();
    Segment seg;
    seg.path = dir_ / segment_name(sample.seq);
    seg.first_seq = sample.seq;
    active_fd_ = ::open(seg.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (active_fd_ < 0) {
      int err = errno;
      (disk_full(err) ? counts_.refused_disk_full : counts_.refused_io_error)++;
      log::warn(kComponent, "sample not stored: cannot create " + seg.path.string() + ": " + std::strerror(err));
      return std::nullopt;
    }
    if (limits_.fsync != FsyncPolicy::never) fsync_dir(dir_);  // the new file's name survives a power cut
    segments_.push_back(std::move(seg));
  }
  if (!write_record(record)) {
    if (new_segment) {
      close_active();
      std::error_code ec;
      fs::remove(segments_.back().path, ec);
      segments_.pop_back();
    }
    return std::nullopt;
  }
  auto& seg = segments_.back();
  seg.offsets.push_back(seg.bytes);
  seg.bytes += record.size();
  seg.newest_t = std::max(seg.newest_t, sample.t);
  total_bytes_ += record.size();
  ++next_seq_;
  ++counts_.appended;
  double mono = clock_.monotonic_s();
  if (limits_.fsync == FsyncPolicy::every_append ||
      (limits_.fsync == FsyncPolicy::interval && mono - last_fsync_s_ >= limits_.fsync_interval_s)) {
    ::fdatasync(active_fd_);
    last_fsync_s_ = mono;
    unsynced_ = false;
  } else {
    unsynced_ = true;
  }
  return sample.seq;
}

std::vector<SpoolRecord> TelemetrySpool::read_after(std::uint64_t after_seq, std::size_t max_records,
                                                    std::size_t max_payload_bytes) const {
  std::lock_guard lock(mu_);
  std::vector<SpoolRecord> out;
  std::size_t budget = 0;
  for (const auto& seg : segments_) {
    if (out.size() >= max_records) break;
    if (seg.last_seq() <= after_seq) continue;
    std::size_t i = after_seq >= seg.first_seq ? static_cast<std::size_t>(after_seq - seg.first_seq + 1) : 0;
    // How many of this segment's records fit, then one read of that byte range.
    std::size_t j = i;
    while (j < seg.offsets.size() && out.size() + (j - i) < max_records) {
      std::uint64_t end = j + 1 < seg.offsets.size() ? seg.offsets[j + 1] : seg.bytes;
      std::size_t size = static_cast<std::size_t>(end - seg.offsets[j]);
      if (!(out.empty() && j == i) && budget + size > max_payload_bytes) break;
      budget += size;
      ++j;
    }
    if (j == i) break;
    std::uint64_t from = seg.offsets[i], to = j < seg.offsets.size() ? seg.offsets[j] : seg.bytes;
    std::string bytes(static_cast<std::size_t>(to - from), '\0');
    int fd = ::open(seg.path.c_str(), O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : ::pread(fd, bytes.data(), bytes.size(), static_cast<off_t>(from));
    if (fd >= 0) ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) {
      log::warn(kComponent, "cannot read " + seg.path.string() + ": " + (n < 0 ? std::strerror(errno) : "short read"));
      break;
    }
    std::size_t at = 0;
    while (at < bytes.size()) {
      auto d = decode_record(std::string_view(bytes).substr(at));
      if (!d) {
        log::warn(kComponent, "damaged record in " + seg.path.string() + " at byte " + std::to_string(from + at));
        return out;
      }
      out.push_back(std::move(d->record));
      at += d->size;
    }
    if (j < seg.offsets.size()) break;  // stopped inside this segment: the budget is spent
  }
  return out;
}

void TelemetrySpool::acknowledge(std::uint64_t seq) {
  std::lock_guard lock(mu_);
  seq = std::min(seq, next_seq_ - 1);
  if (seq <= acked_) return;
  acked_ = seq;
  persist_ack(false);
  delete_acknowledged_segments();
}

std::uint64_t TelemetrySpool::acked() const {
  std::lock_guard lock(mu_);
  return acked_;
}

void TelemetrySpool::persist_ack(bool force) {
  double now = clock_.monotonic_s();
  if (acked_ == persisted_ack_ || (!force && now - last_ack_write_s_ < 1.0)) return;
  // Rewritten in place at a fixed width: no new block is needed, so acknowledging (and then deleting segments) still
  // works on a full disk. 21 bytes at offset 0 sit in one sector, which a device writes whole.
  if (ack_fd_ < 0) ack_fd_ = ::open((dir_ / "acked").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%020llu\n", static_cast<unsigned long long>(acked_));
  if (ack_fd_ < 0 || ::pwrite(ack_fd_, buf, static_cast<size_t>(n), 0) != n || ::fdatasync(ack_fd_) != 0) {
    // Not fatal: after a restart the samples since the last written mark are sent again (and de-duplicated).
    log::warn(kComponent, "cannot write the acknowledged mark in " + dir_.string() + ": " + std::strerror(errno));
    return;
  }
  persisted_ack_ = acked_;
  last_ack_write_s_ = now;
  delete_acknowledged_segments();
}

void TelemetrySpool::sync() {
  std::lock_guard lock(mu_);
  if (active_fd_ >= 0 && unsynced_) {
    ::fdatasync(active_fd_);
    unsynced_ = false;
    last_fsync_s_ = clock_.monotonic_s();
  }
  persist_ack(true);
}

SpoolStats TelemetrySpool::stats() const {
  std::lock_guard lock(mu_);
  SpoolStats s = counts_;
  for (const auto& seg : segments_) {
    s.records += seg.offsets.size();
    s.unacked += unacked_in(seg);
  }
  s.bytes = total_bytes_;
  s.first_seq = segments_.empty() ? 0 : segments_.front().first_seq;
  s.last_seq = segments_.empty() ? 0 : segments_.back().last_seq();
  s.acked_seq = acked_;
  s.next_seq = next_seq_;
  return s;
}

}  // namespace edgeml::spool
