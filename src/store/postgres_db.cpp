#include "store/postgres_db.hpp"

#include <libpq-fe.h>

#include <cstdio>

#include "common/error.hpp"

namespace edgeml::store {

namespace {

// Type OIDs of the built-in types we read (pg_type.h).
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kFloat4 = 700, kFloat8 = 701, kNumeric = 1700;

std::string text_of(const Value& v) {
  if (auto p = std::get_if<long long>(&v)) return std::to_string(*p);
  if (auto d = std::get_if<double>(&v)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  if (auto s = std::get_if<std::string>(&v)) return *s;
  return "";
}

// What a user may see of a connection URI: no password.
std::string redact(const std::string& url) {
  auto at = url.find('@');
  auto scheme = url.find("://");
  if (at == std::string::npos || scheme == std::string::npos) return url;
  std::string userinfo = url.substr(scheme + 3, at - scheme - 3);
  auto colon = userinfo.find(':');
  if (colon == std::string::npos) return url;
  return url.substr(0, scheme + 3) + userinfo.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace

std::string to_dollar_placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += "$" + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

class PostgresDatabase::Conn : public Connection {
 public:
  explicit Conn(const std::string& url) {
    pg_ = PQconnectdb(url.c_str());
    if (PQstatus(pg_) != CONNECTION_OK) {
      std::string why = pg_ ? PQerrorMessage(pg_) : "out of memory";
      PQfinish(pg_);
      throw Error(ErrorKind::unavailable, "cannot connect to PostgreSQL " + redact(url) + ": " + why);
    }
    // Quiet the server's NOTICEs ("relation already exists, skipping") that would otherwise go to stderr.
    PQsetNoticeProcessor(
        pg_, [](void*, const char*) {}, nullptr);
  }
  ~Conn() override { PQfinish(pg_); }
  bool ok() const { return PQstatus(pg_) == CONNECTION_OK; }
  Dialect dialect() const override { return Dialect::postgres; }

  void exec(const std::string& sql) override {
    PGresult* r = PQexec(pg_, sql.c_str());
    check(r, sql);
    PQclear(r);
  }
  std::vector<Row> query(const std::string& sql, const Params& params) override {
    PGresult* r = run(sql, params);
    std::vector<Row> out = rows(r);
    PQclear(r);
    return out;
  }
  long long execute(const std::string& sql, const Params& params) override {
    PGresult* r = run(sql, params);
    long long n = std::atoll(PQcmdTuples(r));
    PQclear(r);
    return n;
  }
  void execute_many(const std::string& sql, const std::vector<Params>& batch) override {
    if (batch.empty()) return;
    const std::string name = "edgeml_many";
    PGresult* prep = PQprepare(pg_, name.c_str(), to_dollar_placeholders(sql).c_str(), 0, nullptr);
    check(prep, sql);
    PQclear(prep);
    for (const auto& params : batch) {
      std::vector<std::string> texts;
      std::vector<const char*> values;
      marshal(params, texts, values);
      PGresult* r =
          PQexecPrepared(pg_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0);
      check(r, sql);
      PQclear(r);
    }
    PGresult* d = PQexec(pg_, ("DEALLOCATE " + name).c_str());
    PQclear(d);
  }
  std::vector<std::string> columns(const std::string& table) override {
    std::vector<std::string> out;
    for (const auto& r : query("SELECT column_name FROM information_schema.columns WHERE table_name = ? AND "
                               "table_schema = current_schema() ORDER BY ordinal_position",
                               {table}))
      out.push_back(r.text(0));
    return out;
  }

 private:
  static void marshal(const Params& params, std::vector<std::string>& texts, std::vector<const char*>& values) {
    texts.reserve(params.size());
    for (const auto& p : params) texts.push_back(text_of(p));
    for (size_t i = 0; i < params.size(); ++i)
      values.push_back(std::holds_alternative<std::monostate>(params[i]) ? nullptr : texts[i].c_str());
  }
  PGresult* run(const std::string& sql, const Params& params) {
    std::vector<std::string> texts;
    std::vector<const char*> values;
    marshal(params, texts, values);
    PGresult* r = PQexecParams(pg_, to_dollar_placeholders(sql).c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    check(r, sql);
    return r;
  }
  void check(PGresult* r, const std::string& sql) {
    auto status = PQresultStatus(r);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
    std::string state = r && PQresultErrorField(r, PG_DIAG_SQLSTATE) ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : "";
    std::string msg = "postgresql: " + std::string(PQerrorMessage(pg_)) + " (in: " + sql.substr(0, 80) + ")";
    PQclear(r);
    if (state == "23505") throw Error(ErrorKind::conflict, msg);
    if (state == "53100") throw Error(ErrorKind::insufficient_storage, msg);
    if (state.rfind("08", 0) == 0) throw Error(ErrorKind::unavailable, msg);
    throw Error(ErrorKind::internal, msg);
  }
  static std::vector<Row> rows(PGresult* r) {
    std::vector<Row> out;
    int n = PQntuples(r), m = PQnfields(r);
    out.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(m));
      for (int c = 0; c < m; ++c) {
        if (PQgetisnull(r, i, c)) {
          values.emplace_back();
          continue;
        }
        const char* v = PQgetvalue(r, i, c);
        Oid type = PQftype(r, c);
        if (type == kInt8 || type == kInt4 || type == kInt2)
          values.emplace_back(std::atoll(v));
        else if (type == kFloat8 || type == kFloat4 || type == kNumeric)
          values.emplace_back(std::strtod(v, nullptr));
        else if (type == kBool)
          values.emplace_back(static_cast<long long>(v[0] == 't' ? 1 : 0));
        else
          values.emplace_back(std::string(v, static_cast<size_t>(PQgetlength(r, i, c))));
      }
      out.emplace_back(std::move(values));
    }
    return out;
  }
  PGconn* pg_ = nullptr;
};

PostgresDatabase::PostgresDatabase(const std::string& url, size_t pool_size)
    : url_(url), description_("postgresql " + redact(url)), pool_size_(std::max<size_t>(1, pool_size)) {
  idle_.push_back(std::make_unique<Conn>(url_));  // fail now, at start, when the server is not there
  created_ = 1;
}

PostgresDatabase::~PostgresDatabase() = default;

void PostgresDatabase::with(const std::function<void(Connection&)>& fn) {
  std::unique_ptr<Conn> conn;
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || created_ < pool_size_; });
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++created_;
    }
  }
  try {
    if (!conn || !conn->ok()) conn = std::make_unique<Conn>(url_);  // new, or replacing one the server dropped
  } catch (...) {
    std::lock_guard lock(mu_);
    --created_;
    cv_.notify_one();
    throw;
  }
  auto give_back = [&] {
    std::lock_guard lock(mu_);
    if (conn && conn->ok())
      idle_.push_back(std::move(conn));
    else
      --created_;
    cv_.notify_one();
  };
  try {
    fn(*conn);
  } catch (...) {
    give_back();
    throw;
  }
  give_back();
}

}  // namespace edgeml::store
