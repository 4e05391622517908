#include "wire/protocol_error.hpp"

#include <array>

namespace edgeml::wire {

namespace {
constexpr std::array<EnumName<Refusal>, 8> kRefusalNames{{
    {Refusal::malformed, "malformed"},
    {Refusal::oversized, "oversized"},
    {Refusal::unknown_version, "unknown_version"},
    {Refusal::wrong_device, "wrong_device"},
    {Refusal::bad_topic, "bad_topic"},
    {Refusal::duplicate, "duplicate"},
    {Refusal::expired, "expired"},
    {Refusal::unknown_device, "unknown_device"},
}};
}  // namespace

std::span<const EnumName<Refusal>> refusal_names() { return kRefusalNames; }

Refusal refusal_of(const std::exception& e) {
  if (auto* p = dynamic_cast<const ProtocolError*>(&e)) return p->reason();
  if (auto* err = dynamic_cast<const Error*>(&e); err && err->kind() == ErrorKind::too_large) return Refusal::oversized;
  return Refusal::malformed;
}

}  // namespace edgeml::wire
