#pragma once
// How the devices table keeps the token the controller presents to each agent: sealed under a key that never enters
// the database (the controller passes a src/secrets Sealer in), so a copy of the database alone does not let anyone
// call the agents as the controller. Without a sealer (the store's own tests) tokens are kept as given.
#include <string>

namespace edgeml::store {

class TokenSealer {
 public:
  virtual ~TokenSealer() = default;
  virtual std::string seal(const std::string& token) const = 0;
  // Throws edgeml::Error when the stored value does not open (another key, changed bytes).
  virtual std::string unseal(const std::string& stored) const = 0;
  virtual bool is_sealed(const std::string& stored) const = 0;
};

}  // namespace edgeml::store
