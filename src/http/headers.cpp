#include "http/headers.hpp"

#include <algorithm>
#include <cctype>

#include "common/error.hpp"

namespace edgeml::http {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

void require_header_safe(std::string_view value, const std::string& field) {
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      throw FieldError(field, field + " must not contain control characters (CR, LF, NUL, ...)");
}

namespace {
void require_token(std::string_view name) {
  static const std::string_view extra = "!#$%&'*+-.^_`|~";
  if (name.empty()) throw FieldError("header", "empty header name");
  for (unsigned char c : name)
    if (!std::isalnum(c) && extra.find(static_cast<char>(c)) == std::string_view::npos)
      throw FieldError("header", "header name '" + std::string(name) + "' is not a token");
}
}  // namespace

void Headers::add(std::string name, std::string value) {
  require_token(name);
  require_header_safe(value, name);
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  remove(name);
  add(std::move(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  items_.erase(std::remove_if(items_.begin(), items_.end(), [&](const auto& kv) { return iequals(kv.first, name); }),
               items_.end());
}

const std::string* Headers::find(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (iequals(k, name)) return &v;
  return nullptr;
}

std::string Headers::get(std::string_view name, std::string fallback) const {
  const auto* v = find(name);
  return v ? *v : fallback;
}

size_t Headers::count(std::string_view name) const {
  return static_cast<size_t>(
      std::count_if(items_.begin(), items_.end(), [&](const auto& kv) { return iequals(kv.first, name); }));
}

}  // namespace edgeml::http
