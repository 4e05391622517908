#include "secrets/secret_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "common/error.hpp"
#include "common/files.hpp"

namespace edgeml::secrets {

namespace {
[[noreturn]] void fail(const std::filesystem::path& path, const std::string& what) {
  throw Error(ErrorKind::unavailable, what + " " + path.string() + ": " + std::strerror(errno), path.string());
}

std::string mode_text(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}
}  // namespace

namespace {
// The bytes in a new 0600 temporary file beside `path`, fsynced; returns its name.
std::filesystem::path write_temporary(const std::filesystem::path& path, std::string_view bytes) {
  auto tmp = path;
  static std::atomic<unsigned> counter{0};
  tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) fail(tmp, "cannot create");
  ::fchmod(fd, 0600);  // a leftover temporary file of an earlier crash may have had another mode
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      fail(tmp, "cannot write");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail(tmp, "cannot write");
  }
  return tmp;
}

std::filesystem::path folder_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
}
}  // namespace

void write_secret_file(const std::filesystem::path& path, std::string_view bytes) {
  auto tmp = write_temporary(path, bytes);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    fail(path, "cannot replace");
  }
  fsync_dir(folder_of(path));
}

bool create_secret_file(const std::filesystem::path& path, std::string_view bytes) {
  auto tmp = write_temporary(path, bytes);
  int rc = ::link(tmp.c_str(), path.c_str());
  int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    if (err == EEXIST) return false;
    errno = err;
    fail(path, "cannot create");
  }
  fsync_dir(folder_of(path));
  return true;
}

std::string read_secret_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) throw NotFoundError("no such file: " + path.string(), path.string());
    fail(path, "cannot open");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    fail(path, "cannot stat");
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw Error(ErrorKind::unavailable, path.string() + " is not a regular file", path.string());
  }
  if (st.st_mode & 077) {
    ::close(fd);
    throw Error(ErrorKind::unavailable,
                path.string() + " holds a secret but others may read or change it (mode " + mode_text(st.st_mode) +
                    "): run chmod 600 " + path.string(),
                path.string());
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      fail(path, "cannot read");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (1 << 20)) {
      ::close(fd);
      throw Error(ErrorKind::unavailable, path.string() + " is larger than 1 MiB: not a secret file of ours",
                  path.string());
    }
  }
  ::close(fd);
  return out;
}

}  // namespace edgeml::secrets
