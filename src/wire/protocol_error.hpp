#pragma once
// Why a message was refused, as a small closed set a service counts and exports (a refusal is logged and counted, never
// a crash). Parsers throw ProtocolError for the reasons that are not plain malformed fields; refusal_of() classifies
// any exception the same way, so one catch block at the receiving end is enough.
#include <exception>
#include <span>
#include <string>

#include "common/error.hpp"
#include "wire/enum_names.hpp"

namespace edgeml::wire {

enum class Refusal {
  malformed,        // not JSON, a missing or wrong field
  oversized,        // payload or list over its limit
  unknown_version,  // "v" this build does not read
  wrong_device,     // addressed to or claiming another device than the topic or receiver
  bad_topic,        // a topic outside the scheme
  duplicate,        // a command id already handled (redelivery or replay)
  expired,          // a command past its expires_at
  unknown_device,   // a device the receiver does not know
};
std::span<const EnumName<Refusal>> refusal_names();
inline const char* to_string(Refusal r) { return name_of(refusal_names(), r); }

class ProtocolError : public Error {
 public:
  ProtocolError(Refusal reason, std::string field, const std::string& message)
      : Error(reason == Refusal::oversized ? ErrorKind::too_large : ErrorKind::bad_field, message, std::move(field)),
        reason_(reason) {}
  Refusal reason() const { return reason_; }

 private:
  Refusal reason_;
};

// ProtocolError -> its reason; Error(too_large) -> oversized; anything else -> malformed.
Refusal refusal_of(const std::exception& e);

}  // namespace edgeml::wire
