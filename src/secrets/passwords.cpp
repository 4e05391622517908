#include "secrets/passwords.hpp"

#include <sodium.h>

#include <condition_variable>
#include <mutex>

#include "common/error.hpp"
#include "secrets/encoding.hpp"

namespace edgeml::secrets {

namespace {
// At most two argon2id computations at a time: each takes 64 MiB, and workers of the HTTP server run in parallel.
class HashSlots {
 public:
  void acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return busy_ < 2; });
    ++busy_;
  }
  void release() {
    {
      std::lock_guard lock(mu_);
      --busy_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int busy_ = 0;
};

HashSlots& slots() {
  static HashSlots s;
  return s;
}

struct Slot {
  Slot() { slots().acquire(); }
  ~Slot() { slots().release(); }
};
}  // namespace

void validate_password(std::string_view password, const std::string& field) {
  if (password.size() < 10 || password.size() > 1024)
    throw FieldError(field, field + " must be 10-1024 characters long");
  for (unsigned char c : password)
    if (c < 0x20 || c == 0x7f) throw FieldError(field, field + " must not hold control characters");
}

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  Slot slot;
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw Error(ErrorKind::internal, "hashing a password failed (out of memory?)");
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  Slot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace edgeml::secrets
