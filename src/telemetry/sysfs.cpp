#include "telemetry/sysfs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "common/strings.hpp"

namespace edgeml::telemetry {

namespace fs = std::filesystem;

FileText read_attribute(const fs::path& path) {
  // POSIX read rather than ifstream: ifstream hides errno, and EACCES must be reported as such.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {std::nullopt, errno};
  std::string content;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return {std::nullopt, err};
    }
    if (n == 0) break;
    content.append(buf, static_cast<size_t>(n));
    if (content.size() > (1u << 20)) break;  // attribute files are tiny; /proc/stat on 256 cores is ~30 KB
  }
  ::close(fd);
  while (!content.empty() && content.back() == '\0') content.pop_back();
  return {std::string(trim(content)), 0};
}

std::string read_problem(const fs::path& path, int error) {
  return "cannot read " + path.string() + ": " + std::strerror(error);
}

std::optional<std::string> read_text(const fs::path& path) { return read_attribute(path).text; }

std::optional<double> read_number(const fs::path& path) {
  auto text = read_text(path);
  if (!text) return std::nullopt;
  return parse_double(*text);
}

std::string printable(std::string_view text, size_t max_chars) {
  std::string out(text.substr(0, max_chars));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) c = '?';
  return out;
}

NumberRead read_number_or_problem(const fs::path& path) {
  auto a = read_attribute(path);
  if (!a.text) return {std::nullopt, read_problem(path, a.error)};
  if (auto v = parse_double(*a.text)) return {v, ""};
  return {std::nullopt, path.string() + " holds \"" + printable(*a.text, 40) + "\", not a number"};
}

namespace {
// Natural order: digit runs compare by value.
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string na = a.substr(i, i2 - i), nb = b.substr(j, j2 - j);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}
}  // namespace

std::vector<fs::path> list_entries(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) == 0) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end(), [](const fs::path& a, const fs::path& b) {
    return natural_less(a.filename().string(), b.filename().string());
  });
  return out;
}

std::optional<int> channel_number(const std::string& name, const std::string& prefix, const std::string& suffix) {
  if (name.size() <= prefix.size() + suffix.size()) return std::nullopt;
  if (name.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  if (name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) return std::nullopt;
  std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (middle.empty() || middle.size() > 6 ||
      !std::all_of(middle.begin(), middle.end(), [](unsigned char c) { return std::isdigit(c); }))
    return std::nullopt;
  return std::stoi(middle);
}

}  // namespace edgeml::telemetry
