// Storage of the file system holding the agent's state folder, by statvfs (what df reports).
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

#include "telemetry/readers.hpp"

namespace edgeml::telemetry {

namespace {
class StorageReader final : public Reader {
 public:
  explicit StorageReader(const Roots& roots) : path_(roots.storage) {}
  std::string name() const override { return "storage"; }

  void read(Snapshot& out, double) override {
    StorageSection& st = out.storage;
    st.path = path_.string();
    struct statvfs v {};
    if (::statvfs(path_.c_str(), &v) != 0) {
      st.available = false;
      st.reason = "statvfs " + path_.string() + ": " + std::strerror(errno);
      return;
    }
    double frsize = double(v.f_frsize);
    st.available = true;
    st.source = "statvfs";
    st.total_bytes = double(v.f_blocks) * frsize;
    st.free_bytes = double(v.f_bavail) * frsize;  // what an unprivileged writer (the agent) can still use
    // df's Use%: used / (used + available to users); reserved root blocks count as neither.
    double used = double(v.f_blocks - v.f_bfree), denom = used + double(v.f_bavail);
    st.used_ratio = denom > 0 ? used / denom : 0;
  }

 private:
  std::filesystem::path path_;
};
}  // namespace

std::unique_ptr<Reader> make_storage_reader(const Roots& roots) { return std::make_unique<StorageReader>(roots); }

}  // namespace edgeml::telemetry
