#pragma once
// The audit_log table: every mutating request with who made it and the answer (GET /api/audit).
#include <optional>
#include <vector>

#include "store/auth_records.hpp"
#include "store/table.hpp"

namespace edgeml::store {

const Table<AuditEntry>& audit_log_table();

class AuditStore {
 public:
  explicit AuditStore(Database& db) : db_(db) {}
  long long add(const AuditEntry& e);
  // Newest first; only entries with id < before_id when given.
  std::vector<AuditEntry> recent(int limit, std::optional<long long> before_id = std::nullopt);

 private:
  Database& db_;
};

}  // namespace edgeml::store
