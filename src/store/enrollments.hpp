#pragma once
// The enrollments table: agents that asked to join, pending until an admin accepts or rejects them; an accepted one
// may be revoked later. The agent's credential is kept as a hash only.
#include <optional>
#include <vector>

#include "store/auth_records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<Enrollment>& enrollments_table();

class EnrollmentStore {
 public:
  explicit EnrollmentStore(Database& db) : db_(db) {}
  Enrollment add(Enrollment e);
  void update(const Enrollment& e);  // every column but id
  std::optional<Enrollment> by_id(long long id);
  std::optional<Enrollment> by_device_token_hash(const std::string& token_hash);
  std::vector<Enrollment> all(const std::string& status = "");  // newest first; one status when given
  long long count_pending();

 private:
  Database& db_;
};

}  // namespace edgeml::store
