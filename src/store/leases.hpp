#pragma once
// The leases table: named leases that several controllers on one database take turns holding, so that background
// work (retention, polling, staged rollouts) runs on exactly one of them, and another takes it over when the holder
// stops renewing (it died). Each operation is one conditional statement, correct on SQLite and PostgreSQL alike; the
// time is passed in (the caller's clock), so a test controls expiry.
#include <optional>
#include <string>

#include "store/table.hpp"

namespace edgeml::store {

struct LeaseRecord {
  std::string name;    // what the lease is for, e.g. "background" or "controller/<instance id>"
  std::string holder;  // the controller instance holding it
  double expires_at = 0;
};

const Table<LeaseRecord>& leases_table();

class LeaseStore {
 public:
  explicit LeaseStore(Database& db) : db_(db) {}
  // Takes the lease when it is free or expired at now_s, or renews it when `holder` has it already; it then expires
  // at now_s + ttl_s. Returns whether `holder` holds it now. One statement: two controllers racing cannot both win.
  bool acquire(const std::string& name, const std::string& holder, double now_s, double ttl_s);
  // Gives the lease up (expires it now) when `holder` has it. Returns whether it did.
  bool release(const std::string& name, const std::string& holder);
  // The holder at now_s; nullopt when the lease is free or expired.
  std::optional<std::string> holder(const std::string& name, double now_s);

 private:
  Database& db_;
};

}  // namespace edgeml::store
