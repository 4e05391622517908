#include "agent/incoming_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <random>

#include "common/error.hpp"
#include "common/files.hpp"

namespace edgeml::agent {

namespace {
std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd());
}
[[noreturn]] void throw_io(const std::string& what, const std::filesystem::path& p, int err) {
  if (err == ENOSPC || err == EDQUOT)
    throw Error(ErrorKind::insufficient_storage,
                "not enough storage: the disk filled up while writing " + p.filename().string(), "size");
  throw std::runtime_error(what + " " + p.string() + ": " + std::strerror(err));
}
}  // namespace

IncomingFile::IncomingFile(const std::filesystem::path& dir, std::uint64_t max_bytes) : max_bytes_(max_bytes) {
  std::filesystem::create_directories(dir);
  tmp_ = dir / (std::string(kIncomingPrefix) + unique_suffix() + ".part");
  fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) throw_io("cannot create", tmp_, errno);
}

IncomingFile::~IncomingFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(tmp_.c_str());
}

void IncomingFile::write(const char* data, size_t size) {
  if (fd_ < 0) throw std::logic_error("IncomingFile::write after finish");
  if (bytes_ + size > max_bytes_)
    throw Error(ErrorKind::too_large, "model is larger than the limit of " + std::to_string(max_bytes_) + " bytes",
                "size");
  hash_->update(data, size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd_, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot write", tmp_, errno);
    }
    done += static_cast<size_t>(n);
  }
  bytes_ += size;
}

void IncomingFile::restart() {
  if (fd_ < 0) throw std::logic_error("IncomingFile::restart after finish");
  if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) throw_io("cannot truncate", tmp_, errno);
  bytes_ = 0;
  hash_ = std::make_unique<Sha256>();
}

std::string IncomingFile::finish() {
  if (fd_ < 0) throw std::logic_error("IncomingFile::finish called twice");
  // fsync before the rename: otherwise a power cut can leave the final name pointing at an empty file.
  if (::fsync(fd_) != 0) throw_io("fsync failed on", tmp_, errno);
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) throw_io("close failed on", tmp_, errno);
  return hash_->hex_digest();
}

void IncomingFile::commit(const std::filesystem::path& final_path) {
  if (fd_ >= 0) throw std::logic_error("IncomingFile::commit before finish");
  if (::rename(tmp_.c_str(), final_path.c_str()) != 0) throw_io("cannot rename into", final_path, errno);
  committed_ = true;
  fsync_dir(final_path.parent_path());
}

}  // namespace edgeml::agent
