#pragma once
// The api_tokens table: named bearer tokens with a role, stored as hashes, revocable (revoked rows stay as history).
#include <optional>
#include <vector>

#include "store/auth_records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<ApiToken>& api_tokens_table();

class ApiTokenStore {
 public:
  explicit ApiTokenStore(Database& db) : db_(db) {}
  // Error(conflict, field "name") when an active token has that name.
  ApiToken add(ApiToken t);
  std::vector<ApiToken> all();  // revoked ones too, oldest first
  std::optional<ApiToken> by_hash(const std::string& token_hash);
  std::optional<ApiToken> by_id(long long id);
  // Returns false when there is no such active token.
  bool revoke(long long id, double t);
  // At most one write a minute per token: a busy script must not turn every request into a database write.
  void mark_used(long long id, double t);
  long long count_active();

 private:
  Database& db_;
};

}  // namespace edgeml::store
