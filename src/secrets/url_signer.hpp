#pragma once
// Short-lived links to a file (the model an agent is told to pull): HMAC-SHA256 over the path and an expiry time
// under a sub-key of the master key. An agent needs no credentials of its own to fetch what it was sent, and a link
// copied out of a log stops working after a few minutes.
#include <string>
#include <string_view>

#include "secrets/master_key.hpp"

namespace edgeml::secrets {

class UrlSigner {
 public:
  explicit UrlSigner(const MasterKey& key);
  // "expires=<unix seconds>&signature=<hex>", to append after '?' to `path` (the path exactly as it will be sent,
  // percent-encoded).
  std::string query(std::string_view path, long long expires_s) const;
  // True when `signature` is right for path and expires, and expires is not before now_s.
  bool verify(std::string_view path, std::string_view expires, std::string_view signature, double now_s) const;

 private:
  std::string mac(std::string_view path, std::string_view expires) const;
  std::string key_;
};

}  // namespace edgeml::secrets
