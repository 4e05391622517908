#include "store/sqlite_db.hpp"

#include <sqlite3.h>
#include <sys/stat.h>

#include "common/error.hpp"

namespace edgeml::store {

namespace {
[[noreturn]] void fail(sqlite3* db, const std::string& what) {
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  std::string msg = "sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) throw Error(ErrorKind::conflict, msg);
  if (code == SQLITE_FULL) throw Error(ErrorKind::insufficient_storage, msg);
  throw Error(ErrorKind::internal, msg);
}

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK)
      fail(db, "prepare '" + sql.substr(0, 80) + "'");
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  void bind(const Params& params) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    for (size_t k = 0; k < params.size(); ++k) {
      int i = static_cast<int>(k + 1), rc = SQLITE_OK;
      const Value& v = params[k];
      if (auto p = std::get_if<long long>(&v))
        rc = sqlite3_bind_int64(stmt_, i, *p);
      else if (auto d = std::get_if<double>(&v))
        rc = sqlite3_bind_double(stmt_, i, *d);
      else if (auto s = std::get_if<std::string>(&v))
        rc = sqlite3_bind_text(stmt_, i, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      else
        rc = sqlite3_bind_null(stmt_, i);
      if (rc != SQLITE_OK) fail(db_, "bind");
    }
  }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, "step");
  }
  Row row() const {
    int n = sqlite3_column_count(stmt_);
    std::vector<Value> values;
    values.reserve(static_cast<size_t>(n));
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt_, c)) {
        case SQLITE_INTEGER:
          values.emplace_back(static_cast<long long>(sqlite3_column_int64(stmt_, c)));
          break;
        case SQLITE_FLOAT:
          values.emplace_back(sqlite3_column_double(stmt_, c));
          break;
        case SQLITE_NULL:
          values.emplace_back();
          break;
        default: {
          auto p = sqlite3_column_text(stmt_, c);
          values.emplace_back(p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c))
                                : std::string());
        }
      }
    }
    return Row(std::move(values));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};
}  // namespace

class SqliteDatabase::Conn : public Connection {
 public:
  explicit Conn(sqlite3* db) : db_(db) {}
  Dialect dialect() const override { return Dialect::sqlite; }
  void exec(const std::string& sql) override {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      int code = sqlite3_extended_errcode(db_);
      throw Error(code == SQLITE_CONSTRAINT_UNIQUE ? ErrorKind::conflict : ErrorKind::internal, "sqlite: " + msg);
    }
  }
  std::vector<Row> query(const std::string& sql, const Params& params) override {
    Stmt s(db_, sql);
    s.bind(params);
    std::vector<Row> out;
    while (s.step()) out.push_back(s.row());
    return out;
  }
  long long execute(const std::string& sql, const Params& params) override {
    Stmt s(db_, sql);
    s.bind(params);
    while (s.step()) {
    }
    return sqlite3_changes(db_);
  }
  void execute_many(const std::string& sql, const std::vector<Params>& rows) override {
    Stmt s(db_, sql);
    for (const auto& p : rows) {
      s.bind(p);
      while (s.step()) {
      }
    }
  }
  std::vector<std::string> columns(const std::string& table) override {
    std::vector<std::string> out;
    for (const auto& r : query("SELECT name FROM pragma_table_info(?)", {table})) out.push_back(r.text(0));
    return out;
  }

 private:
  sqlite3* db_;
};

SqliteDatabase::SqliteDatabase(const std::filesystem::path& file) : file_(file) {
  if (!file.parent_path().empty()) std::filesystem::create_directories(file.parent_path());
  // Owner-only from the first byte: the file holds password hashes and sealed device secrets.
  mode_t old = ::umask(077);
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  ::umask(old);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw Error(ErrorKind::unavailable, "cannot open database " + file.string() + ": " + msg);
  }
  ::chmod(file.c_str(), 0600);  // a database made by an older release was 0644
  sqlite3_busy_timeout(db, 5000);
  conn_ = std::make_unique<Conn>(db);
  // WAL: readers never block the writer; synchronous=NORMAL is durable across process crashes (SIGKILL) in WAL mode.
  conn_->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  for (const char* side : {"-wal", "-shm"}) ::chmod((file.string() + side).c_str(), 0600);
  db_handle_ = db;
}

SqliteDatabase::~SqliteDatabase() {
  conn_.reset();
  sqlite3_close(static_cast<sqlite3*>(db_handle_));
}

void SqliteDatabase::with(const std::function<void(Connection&)>& fn) {
  std::lock_guard lock(mu_);
  fn(*conn_);
}

std::string SqliteDatabase::journal_mode() {
  std::string mode;
  with([&](Connection& c) {
    auto rows = c.query("PRAGMA journal_mode");
    if (!rows.empty()) mode = rows[0].text(0);
  });
  return mode;
}

}  // namespace edgeml::store
