#include "spool/command_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "common/files.hpp"
#include "common/log.hpp"
#include "wire/payload.hpp"

namespace edgeml::spool {

namespace {
constexpr double kKeepAfterExpiryS = 86400;  // clock skew between controller and agent, and then some
}

CommandJournal::CommandJournal(std::filesystem::path file, const Clock& clock, std::size_t max_entries)
    : file_(std::move(file)), clock_(clock), max_entries_(std::max<std::size_t>(max_entries, 1)) {
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  load();
}

void CommandJournal::load() {
  if (!std::filesystem::exists(file_)) return;
  std::string text;
  try {
    text = read_file(file_);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot read the command journal " + file_.string() + ": " + e.what());
  }
  // A crash while a line was written leaves it without its newline: cut it off, or the next line would be glued to
  // it and lost too.
  if (!text.empty() && text.back() != '\n') {
    auto keep = text.rfind('\n');
    keep = keep == std::string::npos ? 0 : keep + 1;
    ++damaged_;
    text.resize(keep);
    if (::truncate(file_.c_str(), static_cast<off_t>(keep)) != 0)
      throw std::runtime_error("cannot repair the command journal " + file_.string() + ": " + std::strerror(errno));
  }
  std::size_t at = 0;
  while (at < text.size()) {
    auto nl = text.find('\n', at);
    std::string_view line(text.data() + at, nl - at);
    at = nl + 1;
    ++lines_;
    auto j = nlohmann::json::parse(line, nullptr, false);
    try {
      if (!j.is_object()) throw std::runtime_error("not an object");
      auto id = j.at("id").get<std::string>();
      if (j.contains("outcome")) {
        auto it = entries_.find(id);
        if (it != entries_.end()) it->second.outcome = wire::parse_event(j.at("outcome").dump());
      } else {
        entries_[id] = Entry{j.at("expires_at").get<double>(), next_order_++, std::nullopt};
      }
    } catch (const std::exception&) {
      ++damaged_;
    }
  }
  if (damaged_) log::warn("journal", std::to_string(damaged_) + " damaged line(s) in " + file_.string() + " skipped");
  forget_old();
}

void CommandJournal::append_line(const nlohmann::json& line) {
  std::string text = line.dump() + "\n";
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot write the command journal " + file_.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      throw std::runtime_error("cannot write the command journal " + file_.string() + ": " + std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  // A command must not run twice after a power cut: the record is on disk before it runs.
  ::fdatasync(fd);
  ::close(fd);
  if (++lines_ > 2 * std::max<std::size_t>(entries_.size(), 64)) compact();
}

void CommandJournal::forget_old() {
  double now = clock_.now_s();
  std::erase_if(entries_, [&](const auto& e) { return e.second.expires_at + kKeepAfterExpiryS < now; });
  while (entries_.size() > max_entries_) {
    auto oldest = std::min_element(entries_.begin(), entries_.end(),
                                   [](const auto& a, const auto& b) { return a.second.order < b.second.order; });
    entries_.erase(oldest);
  }
}

void CommandJournal::compact() {
  forget_old();
  std::vector<std::pair<std::string, const Entry*>> ordered;
  for (const auto& [id, e] : entries_) ordered.emplace_back(id, &e);
  std::sort(ordered.begin(), ordered.end(), [](auto& a, auto& b) { return a.second->order < b.second->order; });
  std::string text;
  for (const auto& [id, e] : ordered) {
    text += nlohmann::json{{"id", id}, {"expires_at", e->expires_at}}.dump() + "\n";
    if (e->outcome) text += nlohmann::json{{"id", id}, {"outcome", wire::to_json(*e->outcome)}}.dump() + "\n";
  }
  write_file_atomic(file_, text);
  lines_ = 0;
  for (const auto& [id, e] : ordered) lines_ += e->outcome ? 2 : 1;
}

AdmissionResult CommandJournal::admit(const wire::Command& c) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(c.id);
  if (it != entries_.end()) {
    if (it->second.outcome) return {Admission::done, it->second.outcome};
    return {Admission::in_progress, std::nullopt};
  }
  if (clock_.now_s() > c.expires_at) return {Admission::expired, std::nullopt};
  append_line({{"id", c.id}, {"expires_at", c.expires_at}});
  entries_[c.id] = Entry{c.expires_at, next_order_++, std::nullopt};
  forget_old();
  return {Admission::run, std::nullopt};
}

void CommandJournal::record_outcome(const wire::Event& e) {
  if (!wire::is_final(e.kind))
    throw std::invalid_argument(std::string("a command's outcome is a final event, not '") + wire::to_string(e.kind) +
                                "'");
  std::lock_guard lock(mu_);
  auto it = entries_.find(e.command_id);
  if (it == entries_.end()) {
    // Rejected before admission (expired): remembered too, so a replay gets the same answer.
    it = entries_.emplace(e.command_id, Entry{e.at, next_order_++, std::nullopt}).first;
    append_line({{"id", e.command_id}, {"expires_at", e.at}});
  }
  it->second.outcome = e;
  append_line({{"id", e.command_id}, {"outcome", wire::to_json(e)}});
}

std::vector<std::string> CommandJournal::unfinished() const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<std::uint64_t, std::string>> open;
  for (const auto& [id, e] : entries_)
    if (!e.outcome) open.emplace_back(e.order, id);
  std::sort(open.begin(), open.end());
  std::vector<std::string> out;
  for (auto& [order, id] : open) out.push_back(id);
  return out;
}

std::size_t CommandJournal::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

std::uint64_t CommandJournal::damaged_lines() const {
  std::lock_guard lock(mu_);
  return damaged_;
}

}  // namespace edgeml::spool
