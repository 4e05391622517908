#include "http/byte_range.hpp"

#include "common/error.hpp"
#include "common/strings.hpp"

namespace edgeml::http {

namespace {
std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

[[noreturn]] void unsatisfiable(std::uint64_t size) {
  throw Error(ErrorKind::range_not_satisfiable,
              "the requested range is outside the file of " + std::to_string(size) + " bytes", "Range");
}
}  // namespace

std::optional<ByteSlice> parse_byte_range(const std::string& header, std::uint64_t size) {
  std::string_view h = trim(header);
  if (h.substr(0, 6) != "bytes=") return std::nullopt;
  std::string_view spec = trim(h.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;  // several ranges: the whole file
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto first_s = trim(spec.substr(0, dash)), last_s = trim(spec.substr(dash + 1));
  if (first_s.empty()) {
    auto n = number(last_s);
    if (!n) return std::nullopt;
    if (*n == 0 || size == 0) unsatisfiable(size);
    std::uint64_t take = std::min(*n, size);
    return ByteSlice{size - take, size - 1};
  }
  auto first = number(first_s);
  if (!first) return std::nullopt;
  if (*first >= size) unsatisfiable(size);
  std::uint64_t last = size - 1;
  if (!last_s.empty()) {
    auto l = number(last_s);
    if (!l || *l < *first) return std::nullopt;
    last = std::min(*l, size - 1);
  }
  return ByteSlice{*first, last};
}

}  // namespace edgeml::http
