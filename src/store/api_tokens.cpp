#include "store/api_tokens.hpp"

#include "common/error.hpp"

namespace edgeml::store {

const Table<ApiToken>& api_tokens_table() {
  using T = ApiToken;
  static const Table<T> t(
      "api_tokens", {id_column(&T::id), column("name", &T::name, "NOT NULL"), column("role", &T::role, "NOT NULL"),
                     column("token_hash", &T::token_hash, "NOT NULL UNIQUE"), column("created_by", &T::created_by),
                     column("created_at", &T::created_at, "NOT NULL"), column("revoked_at", &T::revoked_at),
                     column("last_used_at", &T::last_used_at)});
  return t;
}

ApiToken ApiTokenStore::add(ApiToken tok) {
  const auto& t = api_tokens_table();
  db_.transaction([&](Connection& c) {
    if (!c.query("SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL", {tok.name}).empty())
      throw Error(ErrorKind::conflict, "a token named '" + tok.name + "' exists: revoke it first or pick another name",
                  "name");
    tok.id = c.query(t.insert_sql(), t.insert_params(tok)).at(0).integer(0);
  });
  return tok;
}

std::vector<ApiToken> ApiTokenStore::all() {
  const auto& t = api_tokens_table();
  return db_.read<std::vector<ApiToken>>([&](Connection& c) { return t.read_all(c.query(t.select("ORDER BY id"))); });
}

std::optional<ApiToken> ApiTokenStore::by_hash(const std::string& token_hash) {
  const auto& t = api_tokens_table();
  return db_.read<std::optional<ApiToken>>([&](Connection& c) -> std::optional<ApiToken> {
    auto rows = c.query(t.select("WHERE token_hash = ?"), {token_hash});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

std::optional<ApiToken> ApiTokenStore::by_id(long long id) {
  const auto& t = api_tokens_table();
  return db_.read<std::optional<ApiToken>>([&](Connection& c) -> std::optional<ApiToken> {
    auto rows = c.query(t.select("WHERE id = ?"), {id});
    if (rows.empty()) return std::nullopt;
    return t.read(rows[0]);
  });
}

bool ApiTokenStore::revoke(long long id, double t) {
  return db_.read<long long>([&](Connection& c) {
    return c.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {t, id});
  }) > 0;
}

void ApiTokenStore::mark_used(long long id, double t) {
  db_.with([&](Connection& c) {
    c.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
              {t, id, t - 60});
  });
}

long long ApiTokenStore::count_active() {
  return db_.read<long long>([](Connection& c) {
    return c.query("SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL").at(0).integer(0);
  });
}

}  // namespace edgeml::store
