#pragma once
// The agent's unsent telemetry, on disk, in order: store-and-forward's "store". Samples are appended with increasing
// sequence numbers, read back from the oldest unacknowledged, and deleted once acknowledged (the broker confirmed
// them). Bounded by bytes and by age: when a bound is hit the oldest samples go first, and every sample dropped
// unsent is counted. A full disk refuses the sample (counted), it never crashes the agent.
//
// Layout in `dir`: `stream` (this spool's identity, see wire/telemetry_sample.hpp), `acked` (the last acknowledged
// sequence number), `floor` (written only when every segment aged out: where numbering resumes), and segment files
// `<first seq, 20 digits>.seg` of records (spool/spool_record.hpp).
//
// Durability: an append is written with write(2) before append() returns, so it survives the agent being killed
// (SIGKILL, a crash): the kernel holds it. Against power loss it is fsync'd per FsyncPolicy: by default at most
// fsync_interval_s after the append (1 s: a power cut loses at most the last second), `every_append` for 1 fsync per
// sample, `never` to leave it to the kernel. (Under `interval` the fsync runs at the first append at least
// fsync_interval_s after the previous one, and in sync(); an agent that stops appending calls sync().) On open, a
// record cut short or damaged (CRC) is cut off and counted. The acknowledged mark is written (atomically) at most once
// a second, and a segment is deleted only once the mark on disk covers it: after a crash, up to a second of samples is
// sent again (the controller's de-duplication by (device, stream, seq) absorbs it) and no sequence number is ever
// handed out twice.
//
// Thread-safe: the telemetry thread appends while the MQTT thread reads and acknowledges.
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "spool/spool_record.hpp"
#include "wire/telemetry_sample.hpp"

namespace edgeml::spool {

enum class FsyncPolicy { every_append, interval, never };

struct SpoolLimits {
  std::uint64_t max_bytes = 64ull << 20;  // all segments together
  double max_age_s = 7 * 86400.0;         // older samples are dropped (whole segments)
  std::uint64_t segment_bytes = 0;        // 0 = max_bytes / 16, kept within [4 KiB, 8 MiB]
  std::uint64_t min_free_bytes = 0;       // refuse an append that would leave less free space on the file system
  FsyncPolicy fsync = FsyncPolicy::interval;
  double fsync_interval_s = 1.0;
};

struct SpoolStats {
  std::uint64_t records = 0, bytes = 0;       // on disk now (acknowledged ones are deleted with their segment)
  std::uint64_t first_seq = 0, last_seq = 0;  // on disk; 0 when empty
  std::uint64_t acked_seq = 0, next_seq = 1;  //
  std::uint64_t unacked = 0;                  // records after acked_seq
  std::uint64_t appended = 0;                 // since this process opened the spool
  std::uint64_t dropped_by_size = 0;          // unsent samples removed to stay under max_bytes
  std::uint64_t dropped_by_age = 0;           // unsent samples removed for being older than max_age_s
  std::uint64_t dropped_damaged = 0;          // records cut off on open (torn by a crash, or damaged)
  std::uint64_t refused_disk_full = 0;        // appends the file system had no room for (ENOSPC, min_free_bytes)
  std::uint64_t refused_io_error = 0;         // appends that failed otherwise (EIO, ...)
  std::uint64_t refused_too_large = 0;        // a single sample over the segment size
};

class TelemetrySpool {
 public:
  // Opens (recovering what is there) or creates the spool. Throws std::runtime_error naming the folder when it cannot
  // be created or read, FieldError("spool") for limits out of range.
  TelemetrySpool(std::filesystem::path dir, SpoolLimits limits, const Clock& clock);
  ~TelemetrySpool();  // writes the acknowledged mark and fsyncs
  TelemetrySpool(const TelemetrySpool&) = delete;
  TelemetrySpool& operator=(const TelemetrySpool&) = delete;

  const std::string& stream() const { return stream_; }

  // Numbers the sample (seq = next_seq) and stores its wire JSON. nullopt when it could not be stored (disk full, too
  // large: counted in stats); the sequence number is then not used.
  std::optional<std::uint64_t> append(wire::TelemetrySample sample);
  // Records after `after_seq` in order: at most max_records, and at most max_payload_bytes (but at least one record).
  std::vector<SpoolRecord> read_after(std::uint64_t after_seq, std::size_t max_records,
                                      std::size_t max_payload_bytes) const;
  // Everything up to seq (inclusive) has been delivered: never read again; whole segments are deleted.
  void acknowledge(std::uint64_t seq);
  std::uint64_t acked() const;
  // Drops segments older than max_age_s (append does it too); for a caller with a timer.
  void prune();
  // fsync what was appended and write the acknowledged mark now (shutdown).
  void sync();
  SpoolStats stats() const;

 private:
  struct Segment {
    std::filesystem::path path;
    std::uint64_t first_seq = 0;
    std::uint64_t bytes = 0;
    double newest_t = 0;
    std::vector<std::uint64_t> offsets;  // offsets[i] = offset of record first_seq + i
    std::uint64_t last_seq() const { return first_seq + offsets.size() - 1; }
  };
  void recover();
  void load_segment(const std::filesystem::path& path);
  void drop_front(bool by_age);
  void delete_acknowledged_segments();
  void close_active();
  void persist_ack(bool force);
  bool write_record(const std::string& bytes);  // false: counted, the partial write undone
  void prune_locked(double now);
  std::uint64_t unacked_in(const Segment& s) const;

  std::filesystem::path dir_;
  SpoolLimits limits_;
  const Clock& clock_;
  std::string stream_;

  mutable std::mutex mu_;
  std::deque<Segment> segments_;
  int active_fd_ = -1;  // the last segment, open for appending
  int ack_fd_ = -1;     // `acked`, rewritten in place
  std::uint64_t total_bytes_ = 0;
  std::uint64_t next_seq_ = 1, acked_ = 0, persisted_ack_ = 0;
  std::uint64_t seq_floor_ = 0;  // after damage: no sequence number below this is handed out again
  double last_ack_write_s_ = 0, last_fsync_s_ = 0;
  bool unsynced_ = false;
  SpoolStats counts_;
};

}  // namespace edgeml::spool
