#include "store/auth_store.hpp"

namespace edgeml::store {

std::vector<std::string> auth_tables_sql(Dialect d) {
  return {api_tokens_table().create_sql(d),  users_table().create_sql(d),
          sessions_table().create_sql(d),    audit_log_table().create_sql(d),
          enrollments_table().create_sql(d), "CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions(user_id)"};
}

}  // namespace edgeml::store
