#pragma once
// HTTP header fields, case-insensitive by name, in the order received. Values that would break the message (CR, LF,
// NUL) are refused when set, so nothing a user typed (a device token, a file name) can inject a header.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgeml::http {

class Headers {
 public:
  // Appends a field. Throws FieldError(name) when the name is not a token or the value holds CR, LF or NUL.
  void add(std::string name, std::string value);
  // Replaces every field of that name by one.
  void set(std::string name, std::string value);
  void remove(std::string_view name);
  const std::string* find(std::string_view name) const;  // first field of that name
  std::string get(std::string_view name, std::string fallback = "") const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
  size_t count(std::string_view name) const;

  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  bool empty() const { return items_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Throws FieldError(field) when `value` holds a control character (anything below 0x20 but tab, or 0x7f): the check
// for every user value that ends up in a header or a path.
void require_header_safe(std::string_view value, const std::string& field);
bool iequals(std::string_view a, std::string_view b);

}  // namespace edgeml::http
